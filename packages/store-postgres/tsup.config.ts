import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: {
    compilerOptions: { ignoreDeprecations: "6.0", customConditions: [] },
    // PGlite's .d.ts uses the Emscripten globals without declaring @types/emscripten (a dependency
    // here): the reference makes a consumer's skipLibCheck: false build find them.
    banner: '/// <reference types="emscripten" />',
  },
  clean: true,
  sourcemap: true,
  target: "node20",
});
