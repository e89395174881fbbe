import { describe, expect, it } from "vitest";
import { MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS_PER_MESSAGE } from "@/app/_chat/engine/types";
import { addChosenFiles, type ChosenFile } from "./attachment-choice";

let next = 0;
const key = () => `k${next++}`;
const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);
/** A File that says it is larger than the limit without holding the bytes. */
const huge = (name: string) => Object.defineProperty(file(name), "size", { value: MAX_ATTACHMENT_SIZE + 1 });

describe("addChosenFiles", () => {
  it("adds files after those already chosen, each under a key of its own", () => {
    const first = addChosenFiles([], [file("a.txt"), file("a.txt")], key);
    const second = addChosenFiles(first.chosen, [file("b.png")], key);
    expect(second.chosen.map((c) => c.file.name)).toEqual(["a.txt", "a.txt", "b.png"]);
    expect(new Set(second.chosen.map((c) => c.key)).size).toBe(3);
    expect(second).toMatchObject({ tooLarge: [], overCount: 0 });
  });

  it("leaves out, by name, files larger than the limit", () => {
    const result = addChosenFiles([], [huge("film.mov"), file("ok.txt")], key);
    expect(result.chosen.map((c) => c.file.name)).toEqual(["ok.txt"]);
    expect(result.tooLarge).toEqual(["film.mov"]);
  });

  it("keeps a message to the most files it can carry and counts those left out", () => {
    const full: ChosenFile[] = Array.from({ length: MAX_ATTACHMENTS_PER_MESSAGE - 1 }, (_, i) => ({ key: key(), file: file(`${i}.txt`) }));
    const result = addChosenFiles(full, [file("last.txt"), file("one-more.txt"), file("two-more.txt")], key);
    expect(result.chosen).toHaveLength(MAX_ATTACHMENTS_PER_MESSAGE);
    expect(result.chosen.at(-1)!.file.name).toBe("last.txt");
    expect(result.overCount).toBe(2);
  });
});
