/** Injected time. Domain code never calls `Date.now()`; the desk asks its clock. */
export interface Clock {
  readonly specVersion: 1;
  /** The current instant. Must never go backwards within one process. */
  now(): Date;
}

/** The wall clock. */
export function systemClock(): Clock {
  return { specVersion: 1, now: () => new Date() };
}

/**
 * A clock tests move by hand.
 *
 * @example
 * const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
 * clock.advance(60_000);
 */
export function manualClock(start: Date): Clock & { set(at: Date): void; advance(ms: number): void } {
  let t = start.getTime();
  return {
    specVersion: 1,
    now: () => new Date(t),
    set: (at) => {
      t = at.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
