// The AI training corpus export: public posts of people who granted ai_training_corpus, under
// the policy version they granted, and of no one else. Each included person gets an access-log
// entry for each export.
import "server-only";
import { system } from "../actor";
import { withConsent } from "../consent/consent-gate";
import { purposeDefinition } from "../consent/purposes";
import { db } from "../db";

export interface CorpusRecord {
  id: string;
  text: string;
  created_at: string;
  /** The version of the ai_training_corpus explanation the author agreed to. */
  consent_policy_version: number;
}

const BATCH = 1000;

/** Streams the corpus to `write`, one record per post; returns how many posts and people. */
export async function exportTrainingCorpus(options: {
  purpose: "ai_training_corpus";
  write: (record: CorpusRecord) => Promise<void> | void;
}): Promise<{ posts: number; people: number }> {
  const candidates = await db().user.findMany({ where: { deactivatedAt: null, profile: { isProtected: false } }, select: { id: true } });
  const policyVersion = purposeDefinition("ai_training_corpus").policyVersion;
  return withConsent({
    purpose: "ai_training_corpus",
    accessor: system("export-corpus"),
    action: { code: "included_in_training_corpus" },
    subjectIds: candidates.map((c) => c.id),
    use: async (consenting) => {
      const authors = [...consenting];
      let posts = 0;
      const included = new Set<string>();
      let after: string | undefined;
      for (;;) {
        const batch = await db().post.findMany({
          where: { authorId: { in: authors }, ...(after ? { id: { gt: after } } : {}) },
          orderBy: { id: "asc" },
          take: BATCH,
          select: { id: true, text: true, createdAt: true, authorId: true },
        });
        for (const post of batch) {
          await options.write({ id: post.id, text: post.text, created_at: post.createdAt.toISOString(), consent_policy_version: policyVersion });
          included.add(post.authorId);
        }
        posts += batch.length;
        if (batch.length < BATCH) break;
        after = batch.at(-1)!.id;
      }
      return { result: { posts, people: included.size }, usedSubjectIds: [...included] };
    },
  });
}
