#!/usr/bin/env node
// `pnpm smoke:consumer`: storedesk as a shop's own project sees it, before anything is published.
// Packs every package under packages/* (found, not listed), installs the tarballs with npm into a
// fresh project in the OS temp directory (outside the workspace, so nothing resolves through it),
// type-checks against the packed .d.ts files with skipLibCheck: false under moduleResolution
// "bundler" and "node16" (ESM and CJS files), loads every entry point with import and require,
// and runs a README-like snippet as ESM and as CJS: PGlite store, email channel with a signed
// webhook, an AI classifier on a mock model, and replies delivered to a loopback SMTP server.
// Each run must exit by itself: a handle left open fails it. Needs a build (`pnpm build`).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packAll, root } from "./lib/workspace-packages.mjs";

const started = Date.now();
const step = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
const keep = process.argv.includes("--keep");
/** What a snippet prints once all its work and clean-up are done; its exit must follow promptly. */
const FINISHED = "[smoke finished]";
const project = mkdtempSync(join(tmpdir(), "storedesk-consumer-"));
if (project.startsWith(root)) throw new Error("the consumer project must live outside the workspace");

// Versions the consumer pins itself, as the repo does (TOOLCHAIN.md).
const CONSUMER_DEPS = {
  typescript: "6.0.3",
  "@types/node": "20.19.43",
  "@electric-sql/pglite": "0.5.16",
  "smtp-server": "3.21.6",
  "@types/smtp-server": "3.5.13",
  ai: "6.0.325",
};

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: project, encoding: "utf8", timeout: 90_000, ...options });
  if (result.status !== 0) {
    const why = result.error ? String(result.error) : `exit ${result.status ?? result.signal}`;
    throw new Error(`${cmd} ${args.join(" ")} failed (${why})\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
  return result.stdout;
}

/** `run` without blocking, so independent steps share the two cores. Resolves to stdout. */
function runAsync(cmd, args, { timeout = 90_000, lingerLimitMs = null } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let finishedAt = null;
    child.stdout.on("data", (d) => {
      out += d;
      if (finishedAt === null && out.includes(FINISHED)) finishedAt = Date.now();
    });
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const fail = (why) => reject(new Error(`${cmd} ${args.join(" ")} failed (${why})\n${out}`));
      if (signal === "SIGKILL") return fail(`no exit within ${timeout} ms`);
      if (code !== 0) return fail(`exit ${code ?? signal}`);
      // The issue this guards against: a process kept alive by a timer or socket after its work.
      if (lingerLimitMs !== null) {
        if (finishedAt === null) return fail(`it never printed "${FINISHED}"`);
        const lingered = Date.now() - finishedAt;
        if (lingered > lingerLimitMs) return fail(`the process stayed alive ${lingered} ms after its work ended`);
      }
      resolvePromise(out.replace(FINISHED, "").trim());
    });
  });
}

/**
 * Every module entry point of a package (its exports keys, without ./package.json and without the
 * browser scripts it lists under `storedesk.scriptEntrypoints`, which are loaded by a <script> tag).
 */
function entryPoints(pkg) {
  const scripts = new Set(pkg.storedesk?.scriptEntrypoints ?? []);
  const subpaths = Object.keys(pkg.exports ?? { ".": null }).filter((k) => k !== "./package.json" && !scripts.has(k));
  return subpaths.map((s) => (s === "." ? pkg.name : `${pkg.name}/${s.slice(2)}`));
}

// The README-like snippet; the same body runs as ESM, as CJS and is type-checked as TS.
const SNIPPET_BODY = `
const mailbox: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, callback) {
    let raw = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (raw += chunk));
    stream.on("end", () => {
      mailbox.push(raw);
      callback();
    });
  },
});
await new Promise<void>((done) => smtp.listen(0, "127.0.0.1", () => done()));
const port = (smtp.server.address() as { port: number }).port;

const webhookSecret = "consumer-smoke-secret";
const pglite = await PGlite.create(); // in memory; PGlite.create("./.data") keeps it on disk
const model = new MockLanguageModelV3({
  doGenerate: async () => ({
    content: [{ type: "text", text: JSON.stringify({
      category: "shipping", complaint: false, language: "ko", confidence: 0.9, summary: "배송 문의",
    }) }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: {
      inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 1, text: 1, reasoning: undefined },
    },
    warnings: [],
  }),
});
const desk = createDesk({
  store: postgresStore({ pglite }),
  channels: [
    emailChannel({
      from: { address: "support@shop.example", name: "모카샵" },
      smtp: { host: "127.0.0.1", port, secure: false, ignoreTLS: true },
      webhookSecret,
    }),
  ],
  shop: { name: "모카샵", defaultLocale: "ko", timeZone: "Asia/Seoul" },
  classifier: aiClassifier({ model, timeoutMs: 2000 }),
});
try {
  const raw = [
    "From: 김민수 <minsu@example.com>",
    "To: support@shop.example",
    "Subject: =?UTF-8?B?" + Buffer.from("배송 문의").toString("base64") + "?=",
    "Message-ID: <consumer-smoke-1@example.com>",
    "Date: Mon, 02 Mar 2026 10:00:00 +0900",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "주문번호 #1001 배송이 언제 오나요? 연락처 010-1234-5678",
    "",
  ].join("\\r\\n");
  const signature = "sha256=" + createHmac("sha256", webhookSecret).update(raw).digest("hex");
  const response = await desk.webhook("email")(
    new Request("http://localhost/webhooks/email", {
      method: "POST",
      headers: { "content-type": "message/rfc822", "x-storedesk-signature": signature },
      body: raw,
    }),
  );
  if (response.status !== 200) throw new Error("webhook answered " + response.status + ": " + (await response.text()));
  const forged = await desk.webhook("email")(
    new Request("http://localhost/webhooks/email", {
      method: "POST",
      headers: { "content-type": "message/rfc822", "x-storedesk-signature": "sha256=" + "0".repeat(64) },
      body: raw,
    }),
  );
  if (forged.status !== 401) throw new Error("a forged signature answered " + forged.status);
  const tickets = await desk.listTickets({});
  const ticket = tickets[0];
  if (tickets.length !== 1 || !ticket) throw new Error("expected one ticket, found " + tickets.length);
  if (ticket.category !== "shipping") throw new Error("the AI classifier did not decide: " + ticket.category);
  await desk.settle(); // the acknowledgement went through the outbox after the webhook's commit
  const before = mailbox.length;
  const reply = await desk.reply(ticket.id, { text: "안녕하세요, 고객님. 주문 #1001 배송을 확인해 드릴게요." }, { wait: "sent" });
  if (reply.deliveryStatus !== "sent") throw new Error("the reply is " + reply.deliveryStatus);
  if (mailbox.length !== before + 1) throw new Error("the reply did not reach the SMTP server");
  if (!mailbox.some((m) => m.includes("consumer-smoke-1@example.com"))) throw new Error("the reply is not threaded");
  console.log("ok: SD-" + ticket.number + " " + ticket.category + ", " + mailbox.length + " mail(s) delivered over SMTP");
} finally {
  // desk.close() where this version has it (it stops the desk's timers).
  if ("close" in desk && typeof desk.close === "function") await desk.close();
  await pglite.close();
  await new Promise<void>((done) => smtp.close(() => done()));
}
`;
const IMPORTS = [
  ["node:crypto", ["createHmac"]],
  ["@electric-sql/pglite", ["PGlite"]],
  ["smtp-server", ["SMTPServer"]],
  ["ai/test", ["MockLanguageModelV3"]],
  ["@storedesk/core", ["createDesk"]],
  ["@storedesk/store-postgres", ["postgresStore"]],
  ["@storedesk/email", ["emailChannel"]],
  ["@storedesk/ai", ["aiClassifier"]],
];
// Type annotations out for the .mjs/.cjs runs (the only TS in the body is in these forms).
const stripTypes = (ts) =>
  ts
    .replace(/new Promise<void>/g, "new Promise")
    .replace(/ as \{ port: number \}/g, "")
    .replace(/: string\[\]/g, "")
    .replace(/\(chunk: string\)/g, "(chunk)");
const wrap = (body) =>
  `async function main() {${body}}\n` +
  `main().then(() => console.log(${JSON.stringify(FINISHED)}), (err) => { console.error(err); process.exitCode = 1; });\n`;
const esmSnippet =
  IMPORTS.map(([from, names]) => `import { ${names.join(", ")} } from "${from}";`).join("\n") +
  "\n" +
  wrap(stripTypes(SNIPPET_BODY));
const cjsSnippet =
  IMPORTS.map(([from, names]) => `const { ${names.join(", ")} } = require("${from}");`).join("\n") +
  "\n" +
  wrap(stripTypes(SNIPPET_BODY));
const tsSnippet =
  IMPORTS.map(([from, names]) => `import { ${names.join(", ")} } from "${from}";`).join("\n") +
  "\n" +
  wrap(SNIPPET_BODY);

try {
  step(`packing packages/* into ${project}/packs`);
  const packed = packAll(join(project, "packs"));
  step(`packed ${packed.length}: ${packed.map((p) => p.name).join(", ")}`);

  const manifests = packed.map((p) => {
    const json = JSON.parse(execFileSync("tar", ["-xzOf", p.tarball, "package/package.json"], { encoding: "utf8" }));
    const ranges = Object.entries(json.dependencies ?? {}).filter(([, r]) => String(r).startsWith("workspace:"));
    if (ranges.length > 0) throw new Error(`${p.name} was packed with workspace ranges: ${ranges.join(", ")}`);
    return json;
  });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify(
      {
        name: "storedesk-consumer-smoke",
        private: true,
        type: "module",
        dependencies: {
          ...Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`])),
          ...CONSUMER_DEPS,
        },
      },
      null,
      2,
    ),
  );
  step("npm install (the tarballs plus their dependencies from the registry, --prefer-offline)");
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    timeout: 150_000,
  });

  // Type-check: every entry point imported (ESM and CJS forms) plus the snippet, no skipLibCheck.
  const entries = manifests.flatMap(entryPoints);
  writeFileSync(join(project, "entries.ts"), entries.map((e, i) => `export * as e${i} from "${e}";`).join("\n") + "\n");
  writeFileSync(
    join(project, "entries-cjs.cts"),
    entries.map((e, i) => `import e${i} = require("${e}");\nexport { e${i} };`).join("\n") + "\n",
  );
  writeFileSync(join(project, "smoke.ts"), tsSnippet);
  const base = { strict: true, skipLibCheck: false, noEmit: true, target: "ES2022", lib: ["ES2023", "DOM"] };
  const configs = [
    ["bundler", { ...base, module: "ESNext", moduleResolution: "bundler" }, ["entries.ts", "smoke.ts"]],
    [
      "node16",
      { ...base, module: "node16", moduleResolution: "node16" },
      ["entries.ts", "entries-cjs.cts", "smoke.ts"],
    ],
  ];
  const tsc = join(project, "node_modules/typescript/bin/tsc");
  await Promise.all(
    configs.map(async ([name, compilerOptions, files]) => {
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files }, null, 2));
      step(`tsc, moduleResolution ${name}, skipLibCheck false: ${files.join(", ")}`);
      await runAsync(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], { timeout: 400_000 });
      step(`tsc ${name}: no errors`);
    }),
  );

  // Every entry point loads with import and with require; one needing a missing optional peer
  // (core/testing needs vitest) must fail naming that peer, as documented.
  const optionalPeers = new Map(
    manifests.map((m) => [
      m.name,
      Object.keys(m.peerDependenciesMeta ?? {}).filter((d) => m.peerDependenciesMeta[d].optional),
    ]),
  );
  const loader = (kind) =>
    `const entries = ${JSON.stringify(entries)};
const peers = ${JSON.stringify(Object.fromEntries(optionalPeers))};
${kind === "cjs" ? "" : "import { createRequire } from 'node:module';"}
let failed = 0;
for (const e of entries) {
  const pkg = e.split("/").slice(0, 2).join("/");
  try { ${kind === "cjs" ? "require(e)" : "await import(e)"}; }
  catch (err) {
    const missing = (peers[pkg] ?? []).find((p) => String(err.message).includes(p));
    if (missing) { console.log("skip " + e + ": needs the optional peer " + missing); continue; }
    failed++; console.error("cannot load " + e + ": " + err.message);
  }
}
if (failed) process.exitCode = 1;
`;
  writeFileSync(join(project, "load.mjs"), loader("esm"));
  writeFileSync(join(project, "load.cjs"), loader("cjs"));
  writeFileSync(join(project, "smoke.mjs"), esmSnippet);
  writeFileSync(join(project, "smoke.cjs"), cjsSnippet);
  await Promise.all(
    ["load.mjs", "load.cjs", "smoke.mjs", "smoke.cjs"].map(async (file) => {
      const snippet = file.startsWith("smoke");
      const out = await runAsync(process.execPath, [file], {
        timeout: 300_000,
        lingerLimitMs: snippet ? 5000 : null,
      });
      step(`node ${file}`);
      for (const line of out.trim().split("\n").filter(Boolean)) console.log(`    ${line}`);
    }),
  );
  step("consumer smoke test passed");
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  console.error(`consumer smoke test FAILED (project kept at ${project})`);
  process.exit(1);
}
if (!keep) rmSync(project, { recursive: true, force: true });
