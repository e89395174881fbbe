// A file's name as a person can trust it: no direction controls (a right-to-left override would show
// "holiday<U+202E>gnp.exe" as "holidayexe.png"), the stem isolated so its own letters pick its direction, and
// the extension always last, left to right and never cut off by an ellipsis, so the type the name
// claims is the one it ends in (app/_shared/isomorphic/bidi.ts).
import { fileNameParts } from "@/app/_shared/isomorphic/bidi";

export function FileName({ name }: { name: string }) {
  const { stem, extension } = fileNameParts(name);
  return (
    <span className="chat-file-name" dir="ltr" data-testid="file-name">
      <bdi className="chat-file-stem">{stem}</bdi>
      {extension ? <span className="chat-file-extension">{extension}</span> : null}
    </span>
  );
}
