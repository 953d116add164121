import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: { compilerOptions: { ignoreDeprecations: "6.0", customConditions: [] } },
    clean: true,
    sourcemap: true,
    target: "node20",
    external: ["pg"],
  },
  // The widget: one self-contained, minified IIFE for a <script> tag (esbuild through tsup).
  {
    entry: { widget: "src/widget/main.ts" },
    format: ["iife"],
    platform: "browser",
    target: "es2020",
    minify: true,
    sourcemap: false,
    clean: false,
    dts: false,
  },
]);
