import { describe, expect, it } from "vitest";
import { createPaneFocus } from "./pane-focus";

describe("the list's request for the focus", () => {
  it("is taken once, by the first screen that mounts after it", () => {
    const focus = createPaneFocus(() => 1_000);
    expect(focus.take()).toBe(false);
    focus.ask();
    expect(focus.take()).toBe(true);
    expect(focus.take()).toBe(false);
  });

  it("lapses after a few seconds, so a screen that appears later by itself does not take the focus", () => {
    let now = 0;
    const focus = createPaneFocus(() => now);
    focus.ask();
    now = 5_001;
    expect(focus.take()).toBe(false);
    focus.ask();
    now = 10_000;
    expect(focus.take()).toBe(true);
  });
});
