/**
 * No connection loss may end the process: a desk process ingesting through postgresStore has its
 * backends killed (pg_terminate_backend, 57P01) every 200 ms for 15 s and must stay up, keep
 * storing, and recover once the kills stop. The desk runs in a child process, as in production,
 * so an unhandled 'error' event would end it for real.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE_URL, dropSchema, randomSchema, testPool } from "./helpers.js";

const CHILD = fileURLToPath(new URL("./ingest-under-kills.child.ts", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!DATABASE_URL)(
  `connection kills${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    const schema = randomSchema();
    const appName = `sd-kills-${randomUUID().slice(0, 8)}`;
    const admin = testPool(DATABASE_URL ?? "", { max: 1 });
    afterAll(async () => {
      await admin.end();
      await dropSchema(DATABASE_URL!, schema);
    });

    it("a desk process whose backends are killed every 200 ms for 15 s stays up, keeps storing and recovers", async () => {
      const child: ChildProcess = spawn(process.execPath, ["--conditions=storedesk-source", "--import", "tsx", CHILD], {
        env: { ...process.env, DATABASE_URL, SCHEMA: schema, APP_NAME: appName },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      let last = { ok: 0, failed: 0, done: false };
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.stdout!.on("data", (d: Buffer) => {
        for (const line of d.toString().split("\n").filter(Boolean)) last = JSON.parse(line) as typeof last;
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        // Started and storing before the kills begin.
        for (let i = 0; i < 900 && last.ok < 5; i++) await sleep(100); // a busy machine starts it slowly
        expect(last.ok, `the child never stored a message: ${stderr}`).toBeGreaterThanOrEqual(5);
        let kills = 0;
        const until = Date.now() + 15_000;
        while (Date.now() < until) {
          const { rows } = await admin.query(
            "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1",
            [appName],
          );
          kills += (rows[0] as { n: number }).n;
          expect(child.exitCode, `the process died under connection kills: ${stderr}`).toBeNull();
          await sleep(200);
        }
        expect(kills).toBeGreaterThan(20);
        const afterKills = last.ok;
        await sleep(4000);
        expect(child.exitCode, stderr).toBeNull();
        expect(last.ok, "no message stored after the kills stopped").toBeGreaterThan(afterKills);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/Unhandled|uncaught|57P01/i);
    }, 150_000);
  },
);
