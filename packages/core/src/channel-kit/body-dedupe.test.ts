import { describe, expect, it } from "vitest";
import { manualClock } from "../ports/clock.js";
import { bodyDedupeIds } from "./body-dedupe.js";

// 09:00:00 KST is a multiple of 5 s: slot boundaries fall at :00, :05, :10 …
const START = new Date("2026-03-02T09:00:00+09:00");

describe("bodyDedupeIds", () => {
  it("gives a repeat across a slot boundary the first copy's id (a fixed slot alone would not)", () => {
    const clock = manualClock(new Date(START.getTime() + 4_900));
    const idOf = bodyDedupeIds({ clock });
    const first = idOf("talk", "user-1", '{"text":"네"}');
    clock.advance(200); // 5.1 s: the next slot
    expect(idOf("talk", "user-1", '{"text":"네"}')).toBe(first);
    // A fresh instance (another process) derives its id from the slot it sees: not the same here.
    expect(bodyDedupeIds({ clock })("talk", "user-1", '{"text":"네"}')).not.toBe(first);
  });

  it("derives the same id in another instance within the first copy's slot", () => {
    const clock = manualClock(new Date(START.getTime() + 1_000));
    const a = bodyDedupeIds({ clock })("talk", "user-1", "body");
    clock.advance(3_000);
    expect(bodyDedupeIds({ clock })("talk", "user-1", "body")).toBe(a);
    expect(a).toMatch(/^talk:[0-9a-f]{40}$/);
  });

  it("gives a new id once the window from the first copy has passed, and keeps scopes and prefixes apart", () => {
    const clock = manualClock(START);
    const idOf = bodyDedupeIds({ clock });
    const first = idOf("talk", "user-1", "body");
    expect(idOf("talk", "user-2", "body")).not.toBe(first);
    expect(idOf("talk-echo", "user-1", "body")).not.toBe(first);
    clock.advance(4_999);
    expect(idOf("talk", "user-1", "body")).toBe(first);
    clock.advance(1); // 5 s after the first copy: a new message, even though repeats kept coming
    const second = idOf("talk", "user-1", "body");
    expect(second).not.toBe(first);
    clock.advance(4_000);
    expect(idOf("talk", "user-1", "body")).toBe(second);
  });

  it("forgets the oldest bodies beyond maxEntries", () => {
    const clock = manualClock(new Date(START.getTime() + 4_000));
    const idOf = bodyDedupeIds({ clock, maxEntries: 2 });
    const first = idOf("p", "s", "a");
    idOf("p", "s", "b");
    idOf("p", "s", "c"); // evicts "a"
    clock.advance(2_000); // next slot: only memory could give "a" its old id
    expect(idOf("p", "s", "a")).not.toBe(first);
    expect(idOf("p", "s", "c")).toBe(idOf("p", "s", "c"));
  });

  it("refuses a window or a size that would give every repeat a new id", () => {
    const clock = manualClock(START);
    for (const windowMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => bodyDedupeIds({ clock, windowMs })).toThrow(RangeError);
    }
    expect(() => bodyDedupeIds({ clock, maxEntries: 0 })).toThrow(RangeError);
  });
});
