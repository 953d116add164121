import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The built-in plugins are the proof that the DeskPlugin contract is enough (issue #10): their
// source may import the contract (ports/), pure domain modules and their own folder, never desk internals.
const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, "../..");
const BUILTINS = ["sla", "complaint", "auto-close", "auto-acknowledge", "commerce-context"];
const ALLOWED = [
  "ports/",
  "domain/",
  "sla/",
  "complaint/",
  "calendar/",
  "template/",
  "classify/",
  "errors.js",
  "decision.js",
];

/** The relative imports (`import … from "./x.js"`, `export … from`) of a file, resolved against src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(src, resolve(dirname(file), s)));
}

describe("built-in plugins use only the public contract", () => {
  for (const id of BUILTINS) {
    const folder = join(here, id);
    const files = readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    it(`${id}: imports nothing from desk/ outside its own folder`, () => {
      expect(files.length).toBeGreaterThan(0);
      const bad = files.flatMap((f) =>
        importsOf(join(folder, f))
          .filter((target) => !target.startsWith(`desk/plugins/${id}/`))
          .filter((target) => !ALLOWED.some((a) => target.startsWith(a)))
          .map((target) => `${f} → ${target}`),
      );
      expect(bad).toEqual([]);
    });
  }

  it("desk actions depend on no plugin (shared helpers live in pure modules)", () => {
    const folder = join(here, "../actions");
    const files = readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(0);
    const bad = files.flatMap((f) =>
      importsOf(join(folder, f))
        .filter((target) => target.startsWith("desk/plugins/"))
        .map((target) => `${f} → ${target}`),
    );
    expect(bad).toEqual([]);
  });

  it("the scan sees a desk internal (so it can fail)", () => {
    const file = join(here, "register-plugins.ts");
    expect(importsOf(file).some((t) => t.startsWith("desk/") && !t.startsWith("desk/plugins/"))).toBe(true);
  });
});
