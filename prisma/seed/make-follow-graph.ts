// A power-law follow graph. Everyone has a fame rank; a person follows others with probability
// proportional to 1 / (rank + 1)^alpha (Zipf), so a few accounts gather most followers while most
// have few. How many accounts each person follows is log-normal around the requested mean (capped at 5×).
// No self-follows, no duplicates. Stored as adjacency arrays in both directions (CSR).
import type { Random } from "./random";
import { weightedSampler } from "./random";

export interface FollowGraph {
  /** Zipf weight of each person: their pull as a followee. */
  fame: Float64Array;
  /** Person i follows `followees[followeeOffsets[i] .. followeeOffsets[i + 1])`. */
  followeeOffsets: Int32Array;
  followees: Int32Array;
  /** Person i is followed by `followers[followerOffsets[i] .. followerOffsets[i + 1])`. */
  followerOffsets: Int32Array;
  followers: Int32Array;
}

const ZIPF_ALPHA = 1.3;
const FOLLOWEE_COUNT_SIGMA = 0.9;
const MAX_FOLLOWEES_OVER_MEAN = 5;

export function followeesOf(graph: FollowGraph, person: number): Int32Array {
  return graph.followees.subarray(graph.followeeOffsets[person]!, graph.followeeOffsets[person + 1]!);
}

export function followersOf(graph: FollowGraph, person: number): Int32Array {
  return graph.followers.subarray(graph.followerOffsets[person]!, graph.followerOffsets[person + 1]!);
}

/** The k people with the largest keys u^(1/w) (Efraimidis–Spirakis weighted sampling). */
function weightedSubset(random: Random, weights: Float64Array, exclude: number, k: number): number[] {
  const keyed: [number, number][] = [];
  for (let i = 0; i < weights.length; i++) {
    if (i !== exclude) keyed.push([Math.log(1 - random.next()) / weights[i]!, i]);
  }
  keyed.sort((a, b) => b[0] - a[0]);
  return keyed.slice(0, k).map(([, i]) => i);
}

export function makeFollowGraph(options: { count: number; meanFollowees: number; random: Random }): FollowGraph {
  const { count, random } = options;
  const fame = new Float64Array(count);
  const ranks = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
  }
  for (let i = 0; i < count; i++) fame[i] = 1 / Math.pow(ranks[i]! + 1, ZIPF_ALPHA);
  const pickByFame = count > 1 ? weightedSampler(fame) : () => 0;

  const median = options.meanFollowees / Math.exp((FOLLOWEE_COUNT_SIGMA * FOLLOWEE_COUNT_SIGMA) / 2);
  const lists: Int32Array[] = [];
  let total = 0;
  for (let person = 0; person < count; person++) {
    const wanted = Math.round(median * Math.exp(FOLLOWEE_COUNT_SIGMA * random.normal()));
    // Capped, so that in a small world nobody follows nearly everyone (which would flatten the skew).
    const k = Math.max(count > 1 ? 1 : 0, Math.min(count - 1, Math.round(options.meanFollowees * MAX_FOLLOWEES_OVER_MEAN), wanted));
    let chosen: number[];
    if (k > (count - 1) * 0.3) {
      chosen = weightedSubset(random, fame, person, k);
    } else {
      const set = new Set<number>();
      for (let tries = 0; set.size < k && tries < k * 50; tries++) {
        const other = pickByFame(random);
        if (other !== person) set.add(other);
      }
      chosen = [...set];
    }
    chosen.sort((a, b) => a - b);
    lists.push(Int32Array.from(chosen));
    total += chosen.length;
  }

  const followeeOffsets = new Int32Array(count + 1);
  const followees = new Int32Array(total);
  const inDegree = new Int32Array(count);
  for (let person = 0, at = 0; person < count; person++) {
    followeeOffsets[person] = at;
    followees.set(lists[person]!, at);
    at += lists[person]!.length;
    for (const other of lists[person]!) inDegree[other]!++;
  }
  followeeOffsets[count] = total;
  const followerOffsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) followerOffsets[i + 1] = followerOffsets[i]! + inDegree[i]!;
  const cursor = followerOffsets.slice(0, count);
  const followers = new Int32Array(total);
  for (let person = 0; person < count; person++) {
    for (const other of lists[person]!) followers[cursor[other]!++] = person;
  }
  return { fame, followeeOffsets, followees, followerOffsets, followers };
}
