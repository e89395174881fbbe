// What a report names as the code measured: the commit, and whether the working tree differs from it.
import { execSync } from "node:child_process";

export function describeCheckout(): string {
  try {
    const commit = execSync("git rev-parse --short HEAD", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return `commit \`${commit}\`${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return "outside a git checkout";
  }
}
