// Post texts for the demo world: a topic template of the author's, filled from word lists, with
// inline and trailing #hashtags and @mentions of real seeded handles. Replies and quotes use
// their own short templates. Which rows post_hashtags and post_mentions get is decided later by
// the app's own parser, so the rows always agree with the text.
import type { Random } from "./random";
import { CONTENT_WARNINGS, QUOTE_TEMPLATES, REPLY_TEMPLATES, TOPICS, type Topic } from "./topics";
import { EMOJI, ENGLISH_CITIES, GERMAN_CITIES, WEEKDAYS_DE, WEEKDAYS_EN } from "./word-lists";

export interface Author {
  german: boolean;
  topics: readonly number[];
}

export interface ComposedText {
  text: string;
  contentWarning: string | null;
}

type Language = "en" | "de";

function languageOf(random: Random, author: Author): Language {
  return random.chance(author.german ? 0.75 : 0.08) ? "de" : "en";
}

function fill(template: string, random: Random, language: Language, topic: Topic | null, mention: () => string | null): string {
  const usedTags = new Set<string>();
  const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case "thing":
        return topic ? random.pick(topic.things[language]) : "";
      case "city":
        return random.pick(language === "de" ? GERMAN_CITIES : ENGLISH_CITIES);
      case "n":
        return String(random.between(2, 12));
      case "weekday":
        return random.pick(language === "de" ? WEEKDAYS_DE : WEEKDAYS_EN);
      case "emoji":
        return random.chance(0.6) ? random.pick(EMOJI) : "";
      case "tag": {
        if (!topic) return "";
        const tag = random.pick(topic.tags[language]);
        usedTags.add(tag.toLowerCase());
        return `#${tag}`;
      }
      case "mention": {
        const handle = mention();
        return handle ? `@${handle}` : language === "de" ? "einer Freundin" : "a friend";
      }
      default:
        return "";
    }
  });
  let out = text;
  if (topic && random.chance(0.3)) {
    const extra = topic.tags[language].filter((t) => !usedTags.has(t.toLowerCase()));
    const count = Math.min(extra.length, random.chance(0.7) ? 1 : 2);
    for (let i = 0; i < count; i++) out += ` #${extra.splice(random.int(extra.length), 1)[0]}`;
  }
  return out
    .replace(/\s+([.,!?])/g, "$1")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** A post that starts a thread. `mention` returns a handle the author might mention. */
export function composeRootText(random: Random, author: Author, mention: () => string | null): ComposedText {
  const language = languageOf(random, author);
  const topic = TOPICS[random.pick(author.topics)]!;
  let text = fill(random.pick(topic.posts[language]), random, language, topic, mention);
  if (random.chance(0.04)) {
    const other = mention();
    if (other && !text.includes(`@${other}`)) text += ` cc @${other}`;
  }
  const contentWarning = random.chance(0.02) ? random.pick(CONTENT_WARNINGS[language]) : null;
  return { text, contentWarning };
}

/** A reply; `addressee` is the parent's author handle when the reply greets them, as people do. */
export function composeReplyText(random: Random, author: Author, addressee: string | null, mention: () => string | null): ComposedText {
  const language = languageOf(random, author);
  let text = fill(random.pick(REPLY_TEMPLATES[language]), random, language, null, mention);
  if (random.chance(0.15)) {
    const topic = TOPICS[random.pick(author.topics)]!;
    text += ` ${fill(random.pick(topic.posts[language]), random, language, topic, mention)}`;
  }
  if (addressee && random.chance(0.6)) text = `@${addressee} ${text}`;
  return { text, contentWarning: null };
}

export function composeQuoteText(random: Random, author: Author, mention: () => string | null): ComposedText {
  const language = languageOf(random, author);
  const topic = random.chance(0.3) ? TOPICS[random.pick(author.topics)]! : null;
  return { text: fill(random.pick(QUOTE_TEMPLATES[language]), random, language, topic, mention), contentWarning: null };
}
