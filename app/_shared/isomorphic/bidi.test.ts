import { describe, expect, it } from "vitest";
import { fileNameParts, withoutDirectionControls } from "./bidi";

const RLO = "\u202E";

describe("withoutDirectionControls", () => {
  it("takes out every embedding, override, isolate and mark, and their pops", () => {
    const controls = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];
    for (const control of controls) expect(withoutDirectionControls(`a${control}b`), `U+${control.codePointAt(0)!.toString(16)}`).toBe("ab");
    expect(withoutDirectionControls(`Team ${RLO}gnp.exe`)).toBe("Team gnp.exe");
  });

  it("keeps names in every script, emoji sequences and joiners", () => {
    for (const name of ["Zoë", "שלום עולם", "مرحبا", "नमस्ते", "👩‍💻 ❤️‍🔥", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "می‌خواهم", "<b>x</b>"]) expect(withoutDirectionControls(name)).toBe(name);
  });
});

describe("fileNameParts", () => {
  it("shows a name that hides its extension with an override as what it is: the real extension last", () => {
    expect(fileNameParts(`holiday${RLO}gnp.exe`)).toEqual({ stem: "holidaygnp", extension: ".exe" });
    expect(fileNameParts(`\u2067photo.png\u2069.scr`)).toEqual({ stem: "photo.png", extension: ".scr" });
  });

  it("keeps the stem of right-to-left names whole and the extension apart", () => {
    expect(fileNameParts("מסמך.pdf")).toEqual({ stem: "מסמך", extension: ".pdf" });
    expect(fileNameParts("archive.tar.gz")).toEqual({ stem: "archive.tar", extension: ".gz" });
  });

  it("gives no extension to a dotfile, a name without a dot, or a long or spaced tail", () => {
    expect(fileNameParts(".env")).toEqual({ stem: ".env", extension: "" });
    expect(fileNameParts("README")).toEqual({ stem: "README", extension: "" });
    expect(fileNameParts("notes. not an extension at all")).toEqual({ stem: "notes. not an extension at all", extension: "" });
    expect(fileNameParts("a.verylongextensionname")).toEqual({ stem: "a.verylongextensionname", extension: "" });
  });
});
