import { describe, expect, it } from "vitest";
import { filterPeople } from "./filter-people";

const people = [
  { handle: "zoe", displayName: "Zoë Martin" },
  { handle: "bob_b", displayName: "Robert" },
  { handle: "carol", displayName: "Carol Zimmer" },
];
const handles = (list: readonly { handle: string }[]) => list.map((person) => person.handle);

describe("filterPeople", () => {
  it("keeps everyone for an empty query", () => {
    expect(handles(filterPeople(people, "  "))).toEqual(["zoe", "bob_b", "carol"]);
  });

  it("matches names and handles anywhere, ignoring case, accents and a leading @", () => {
    expect(handles(filterPeople(people, "ZOE"))).toEqual(["zoe"]);
    expect(handles(filterPeople(people, "@bob"))).toEqual(["bob_b"]);
    expect(handles(filterPeople(people, "z"))).toEqual(["zoe", "carol"]);
    expect(handles(filterPeople(people, "mart"))).toEqual(["zoe"]);
  });

  it("finds nobody when nothing matches", () => {
    expect(filterPeople(people, "xavier")).toEqual([]);
  });
});
