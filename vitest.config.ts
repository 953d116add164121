import { defineConfig } from "vitest/config";
import { SkipReasonsReporter } from "./scripts/vitest/skip-reasons-reporter.js";

// The run ends with why tests were skipped, one line per cause (the tests' titles state it).
const skipReasons = new SkipReasonsReporter({
  groups: [
    { match: /DATABASE_URL/, reason: "DATABASE_URL not set (PostgreSQL server tests; .ci/run sets it)" },
    { match: /chromium/i, reason: "no chromium at /usr/bin/chromium (browser tests)" },
  ],
});

// Tests run from source: the "storedesk-source" export condition points every
// workspace package at its src/index.ts, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ["storedesk-source"] },
  ssr: { resolve: { conditions: ["storedesk-source"] } },
  test: {
    // .ci/run asks for a JSON report to print the "N passed, N failed" line from real counts.
    reporters: process.env.STOREDESK_TEST_REPORT
      ? ["default", skipReasons, ["json", { outputFile: process.env.STOREDESK_TEST_REPORT }]]
      : ["default", skipReasons],
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "examples/*/src/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
