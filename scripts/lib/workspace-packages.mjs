// The publishable packages of the workspace, found under packages/* (not from a fixed list, so a
// new package is checked, packed and smoke-tested the day it lands), and how to pack them.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every non-private package under packages/*, with its directory and package.json. */
export function workspacePackages() {
  const dir = join(root, "packages");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "package.json")))
    .map((d) => {
      const pkgDir = join(dir, d.name);
      return { dir: pkgDir, json: JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) };
    })
    .filter((p) => !p.json.private)
    .sort((a, b) => a.json.name.localeCompare(b.json.name));
}

/** The pinned pnpm: the one running this script when started by `pnpm run`, else through npx. */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? "";
  // pnpm ships as a JS file or (pnpm 12 from a fresh npx cache) as a native binary: run that one directly.
  if (/pnpm/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? { cmd: process.execPath, args: [execPath] } : { cmd: execPath, args: [] };
  }
  return { cmd: "npx", args: ["-y", "pnpm@12.4.2"] };
}

/**
 * Packs every package into `dest` with pnpm (which rewrites `workspace:^` to a real range and
 * applies publishConfig). A package without its own LICENSE gets the root one first.
 * Returns `{ name, version, tarball }` per package. The packages must be built.
 */
export function packAll(dest) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const packages = workspacePackages();
  for (const p of packages) {
    if (!existsSync(join(p.dir, "LICENSE"))) copyFileSync(join(root, "LICENSE"), join(p.dir, "LICENSE"));
    if (!existsSync(join(p.dir, "dist"))) throw new Error(`${p.json.name} is not built: run pnpm build first`);
  }
  const { cmd, args } = pnpmCommand();
  execFileSync(cmd, [...args, "-r", "--filter", "./packages/*", "pack", "--pack-destination", dest], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return packages.map((p) => {
    const file = `${p.json.name.replace(/^@/, "").replace("/", "-")}-${p.json.version}.tgz`;
    const tarball = join(dest, file);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${file}`);
    return { name: p.json.name, version: p.json.version, dir: p.dir, tarball };
  });
}
