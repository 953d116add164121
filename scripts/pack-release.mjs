#!/usr/bin/env node
// Second half of `pnpm release`: packs every package under packages/* into release/ (after
// `changeset version` has bumped versions and written changelogs). Publishing is left to a person
// with npm credentials: `npm publish release/<tarball> --access public` for each file.
import { join } from "node:path";
import { packAll, root } from "./lib/workspace-packages.mjs";

const dest = join(root, "release");
const packed = packAll(dest);
for (const p of packed) console.log(`${p.name}@${p.version} → ${p.tarball}`);
console.log(`\n${packed.length} tarballs in ${dest}. To publish (needs npm credentials):`);
console.log(`  for f in release/*.tgz; do npm publish "$f" --access public; done`);
