#!/usr/bin/env node
// `pnpm check:packages`: packs every package under packages/* once and checks each tarball with
// publint (package.json against the files really published) and Are the Types Wrong (types as
// TypeScript resolves them under node16 from ESM and CJS, and bundler). node10 resolution is not
// checked: storedesk needs Node 20, and node10 cannot see subpath exports such as core/testing.
// Exits non-zero on any error or warning. Needs a build (`pnpm build`).
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { problemAffectsResolutionKind, problemKindInfo } from "@arethetypeswrong/core/problems";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packAll, workspacePackages } from "./lib/workspace-packages.mjs";

const CHECKED_RESOLUTIONS = ["node16-cjs", "node16-esm", "bundler"];
const started = Date.now();
const packed = packAll(join(tmpdir(), `storedesk-check-${process.pid}`));
let failures = 0;

for (const { name, tarball } of packed) {
  const data = readFileSync(tarball);
  const lint = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) },
    strict: true,
  });
  const lintProblems = lint.messages.filter((m) => m.type !== "suggestion");
  // Browser scripts a package ships (a widget loaded by a <script> tag, not imported) have no types:
  // a package lists them under "storedesk": { "scriptEntrypoints": [...] } and they are not type-checked.
  const { json } = workspacePackages().find((p) => p.json.name === name);
  const excludeEntrypoints = json.storedesk?.scriptEntrypoints ?? [];
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(data)), { excludeEntrypoints });
  const typeProblems =
    analysis.types === false
      ? [{ kind: "Untyped" }]
      : analysis.problems.filter((p) => CHECKED_RESOLUTIONS.some((k) => problemAffectsResolutionKind(p, k, analysis)));
  if (lintProblems.length === 0 && typeProblems.length === 0) {
    console.log(`ok   ${name}`);
    continue;
  }
  failures++;
  console.log(`FAIL ${name}`);
  for (const m of lintProblems)
    console.log(`  publint ${m.type}: ${formatMessage(m, lint.pkg, { color: false }) ?? m.code}`);
  for (const p of typeProblems) {
    const info = problemKindInfo[p.kind];
    const where = "entrypoint" in p ? ` (${p.entrypoint}, ${p.resolutionKind})` : "";
    console.log(`  attw: ${info ? `${info.emoji} ${info.title}` : p.kind}${where}`);
  }
}
console.log(
  `${packed.length} packages checked in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures} with problems`,
);
process.exit(failures === 0 ? 0 : 1);
