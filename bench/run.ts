/**
 * Runs the benchmarks: `pnpm bench` (all) or `pnpm bench ingest sla` (by name).
 * Each benchmark measures against a baseline in the same run and prints the ratio,
 * because these machines are noisy: absolute numbers move, ratios much less.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = (await import(new URL(file, import.meta.url).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== "function") throw new Error(`${file} exports no run()`);
  await mod.run();
}
