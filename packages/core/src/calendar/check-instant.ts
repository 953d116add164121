import { invalidInput } from "../errors.js";

/** The ms of a Date, or an INVALID_INPUT error for an invalid one. Internal. */
export function instantMs(d: Date, name: string): number {
  const t = d.getTime();
  if (Number.isNaN(t)) throw invalidInput(`${name} is an invalid Date`, [name]);
  return t;
}
