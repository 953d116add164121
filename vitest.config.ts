import { defineConfig } from "vitest/config";

// Tests run from source: the "storedesk-source" export condition points every
// workspace package at its src/index.ts, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ["storedesk-source"] },
  ssr: { resolve: { conditions: ["storedesk-source"] } },
  test: {
    // .ci/run asks for a JSON report to print the "N passed, N failed" line from real counts.
    reporters: process.env.STOREDESK_TEST_REPORT ? ["default", ["json", { outputFile: process.env.STOREDESK_TEST_REPORT }]] : ["default"],
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/*/src/**/*.test.ts", "examples/*/test/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
