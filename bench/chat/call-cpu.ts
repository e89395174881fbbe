// CPU time so far of a calls benchmark's processes, from /proc (Linux): the browsers (every process
// descended from the benchmark's own, that is Chromium and its renderers, GPU and utility
// processes), the LiveKit server (in the app server's process group, started by scripts/start.ts)
// and the rest of that group (npx, tsx, Next).
import { readFileSync } from "node:fs";
import { readStats, type ProcStat } from "../timeline/cpu-time";

export interface CallCpuSnapshot {
  chromiumMs: number;
  livekitMs: number;
  appMs: number;
}

/** Whether the process runs a LiveKit build (ours is `.cache/livekit/<version>/server`, so the command name alone does not say). */
function isLivekit(pid: number): boolean {
  try {
    return /livekit/i.test(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "");
  } catch {
    return false;
  }
}

export function callCpuSnapshot(options: { benchPid: number; appProcessGroup: number | null }): CallCpuSnapshot {
  const stats = readStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const snapshot: CallCpuSnapshot = { chromiumMs: 0, livekitMs: 0, appMs: 0 };
  const pending = [...(children.get(options.benchPid) ?? [])];
  while (pending.length > 0) {
    const s = pending.pop()!;
    if (options.appProcessGroup !== null && s.pgrp === options.appProcessGroup) continue;
    // Only the browsers' own processes: their children's time is in cutime/cstime once reaped.
    if (/chrom/i.test(s.command)) snapshot.chromiumMs += s.cpuMs;
    pending.push(...(children.get(s.pid) ?? []));
  }
  for (const s of stats) {
    if (options.appProcessGroup === null || s.pgrp !== options.appProcessGroup) continue;
    if (isLivekit(s.pid)) snapshot.livekitMs += s.cpuMs;
    else snapshot.appMs += s.cpuMs;
  }
  return snapshot;
}
