// A rough strength hint for a new offline passphrase, shown while it is typed: length counts most
// (Argon2id slows each guess, so several words beat a short password full of symbols), and a
// passphrase of few distinct characters or one repeated word is weak whatever its length.
import { MIN_OFFLINE_PASSPHRASE_LENGTH } from "@/app/_chat/engine/types";

export type PassphraseStrength = "weak" | "fair" | "strong";

export function passphraseStrength(passphrase: string): PassphraseStrength {
  const characters = [...passphrase.normalize("NFKC")];
  const distinct = new Set(characters.map((c) => c.toLowerCase())).size;
  const words = new Set(
    passphrase
      .toLowerCase()
      .split(/[\s\-_.,;]+/)
      .filter((word) => word.length > 0),
  );
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}\s]/u].filter((kind) => kind.test(passphrase)).length;
  if (characters.length < MIN_OFFLINE_PASSPHRASE_LENGTH || distinct < 6) return "weak";
  if (characters.length >= 20 && words.size >= 3) return "strong";
  if (characters.length >= 16 && (words.size >= 4 || kinds >= 3)) return "strong";
  return "fair";
}
