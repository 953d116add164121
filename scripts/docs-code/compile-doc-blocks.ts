/**
 * Type-checks the TypeScript blocks of the docs against the workspace packages, all in one
 * TypeScript program (one checker for every block keeps the test at a few seconds).
 *
 * Each block becomes a module file `<outDir>/<guide>.<line>.ts`: the guide's prelude (the values
 * the guide assumes, as `declare const …`), minus any declaration the block makes itself, then
 * the block. Imports resolve from the file's folder first and then from every workspace package
 * (pnpm gives each package only its own dependencies), under the `storedesk-source` condition so
 * `@storedesk/*` means the workspace's sources, as in the tests.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { basename, join, relative } from "node:path";
import ts from "typescript";
import { extractCodeBlocks } from "./extract-code-blocks.js";

/** A Markdown file to check and the prelude its blocks assume. */
export interface DocToCheck {
  /** Path relative to the repository root, e.g. `docs/guides/email.md`. */
  path: string;
  markdown: string;
  /** TypeScript put before each block: imports and `declare const` lines for assumed values. */
  prelude: string;
}

/** A compile error, pointed at the guide's line. */
export interface DocCodeError {
  /** `docs/guides/email.md:42`, or the prelude's own file when the prelude is wrong. */
  at: string;
  message: string;
}

/** What {@link compileDocBlocks} found. */
export interface DocCodeReport {
  /** Blocks compiled, per doc path. */
  compiled: Record<string, number>;
  /** Blocks marked `<!-- excerpt -->`, as `path:line`. */
  excerpts: string[];
  errors: DocCodeError[];
}

const TS_LANGS = new Set(["ts", "typescript", "tsx"]);

/**
 * Compiles every ```ts block of `docs` (except excerpts) in one program.
 *
 * @example
 * const report = compileDocBlocks({ root, outDir: join(root, ".docs-code"), docs });
 * expect(report.errors).toEqual([]);
 */
export function compileDocBlocks(options: {
  root: string;
  outDir: string;
  docs: DocToCheck[];
  /** An ambient `.d.ts` for modules a reader installs that the workspace has not. */
  ambient?: string;
}): DocCodeReport {
  const { root, outDir, docs } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const report: DocCodeReport = { compiled: {}, excerpts: [], errors: [] };
  // file → where its block starts in the guide, to map diagnostics back.
  const origins = new Map<string, { doc: string; blockLine: number; preludeLines: number }>();
  for (const doc of docs) {
    report.compiled[doc.path] = 0;
    for (const block of extractCodeBlocks(doc.markdown)) {
      if (!TS_LANGS.has(block.lang)) continue;
      if (block.excerpt) {
        report.excerpts.push(`${doc.path}:${block.line}`);
        continue;
      }
      const prelude = preludeWithout(doc.prelude, declaredNames(block.code));
      const file = join(outDir, `${basename(doc.path, ".md")}.${block.line}.${block.lang === "tsx" ? "tsx" : "ts"}`);
      // `export {}` makes every block a module, so its names never clash with another block's.
      writeFileSync(file, `${prelude}\n${block.code}\nexport {};\n`);
      origins.set(file, { doc: doc.path, blockLine: block.line, preludeLines: prelude.split("\n").length });
      report.compiled[doc.path]!++;
    }
  }

  const ambientFile = join(outDir, "ambient.d.ts");
  writeFileSync(ambientFile, options.ambient ?? "export {};\n");
  const program = createProgram(root, [ambientFile, ...origins.keys()]);
  for (const d of program.getSemanticDiagnostics(program.getSourceFile(ambientFile))) {
    report.errors.push({
      at: relative(root, ambientFile),
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    });
  }
  for (const [file, origin] of origins) {
    const source = program.getSourceFile(file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of diagnostics) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line; // 0-based
      const at =
        line < origin.preludeLines
          ? `prelude of ${origin.doc} (${relative(root, file)}:${line + 1})`
          : `${origin.doc}:${origin.blockLine + line - origin.preludeLines + 1}`;
      report.errors.push({ at, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") });
    }
  }
  return report;
}

/** The repository's compiler options (tsconfig.base.json), with a resolver that knows pnpm's layout. */
function createProgram(root: string, files: string[]): ts.Program {
  const base = ts.readConfigFile(join(root, "tsconfig.base.json"), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, root);
  options.noEmit = true;
  options.declaration = false;
  const host = ts.createCompilerHost(options);
  const fallbacks = workspacePackageDirs(root).map((dir) => join(dir, "index.ts"));
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, opts) =>
    literals.map((literal) => {
      for (const from of [containingFile, ...fallbacks]) {
        const resolved = ts.resolveModuleName(literal.text, from, opts, host).resolvedModule;
        if (resolved) return { resolvedModule: resolved };
      }
      return { resolvedModule: undefined };
    });
  return ts.createProgram({ rootNames: files, options, host });
}

function workspacePackageDirs(root: string): string[] {
  return ["packages", "examples"].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .map((name) => join(root, group, name))
          .filter((dir) => existsSync(join(dir, "package.json")))
      : [],
  );
}

/** The top-level names a piece of TypeScript declares (imports, variables, functions, types). */
export function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  for (const statement of source.statements) for (const name of namesOf(statement)) names.add(name);
  return names;
}

function namesOf(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return [];
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
    return names;
  }
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    return [statement.name.text];
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/**
 * The prelude without the statements that declare a name the block declares itself, nor those a
 * later prelude statement declares again (a guide's own line overrides a shared value).
 */
function preludeWithout(prelude: string, blockNames: Set<string>): string {
  const source = ts.createSourceFile("prelude.ts", prelude, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lastDeclaration = new Map<string, ts.Statement>();
  for (const statement of source.statements)
    for (const name of namesOf(statement)) lastDeclaration.set(name, statement);
  return source.statements
    .map((statement) => {
      const names = namesOf(statement);
      if (names.some((n) => lastDeclaration.get(n) !== statement) && !ts.isImportDeclaration(statement)) return "";
      if (!names.some((n) => blockNames.has(n))) return statement.getFullText(source);
      if (!ts.isImportDeclaration(statement)) return ""; // dropped; an import keeps its other names
      const kept = names.filter((n) => !blockNames.has(n));
      // Preludes use named imports only, so the kept names can be re-listed as such.
      const type = statement.importClause?.isTypeOnly ? "type " : "";
      return kept.length
        ? `\nimport ${type}{ ${kept.join(", ")} } from ${statement.moduleSpecifier.getText(source)};`
        : "";
    })
    .join("")
    .replace(/^\n+/, "");
}
