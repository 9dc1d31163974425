// Gathers the licences of everything VarDesk ships — the Rust crates compiled into the
// desktop app on Windows, macOS and Linux, the UI's runtime npm packages and the fonts
// embedded in PDFs — with their licence texts, into src-tauri/licences/third-party.json,
// which the About dialog shows. `--check` fails when the committed file is out of date.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(repo, "src-tauri/licences/third-party.json");
const TARGETS = ["x86_64-pc-windows-msvc", "aarch64-apple-darwin", "x86_64-apple-darwin", "x86_64-unknown-linux-gnu"];
const LICENCE_FILE = /^(licen[cs]e|copying|notice)/i;

const texts = [];
const textIndex = new Map();
/** The licence files in a package folder, as indexes into `texts` (identical texts once). */
function licenceTexts(folder) {
  return readdirSync(folder)
    .filter((f) => LICENCE_FILE.test(f) && statSync(join(folder, f)).isFile())
    .sort()
    .map((f) => {
      const text = readFileSync(join(folder, f), "utf8").replace(/\r\n/g, "\n").trim();
      const key = text.replace(/\s+/g, " ");
      if (!textIndex.has(key)) {
        textIndex.set(key, texts.length);
        texts.push(text);
      }
      return textIndex.get(key);
    });
}

/** Crates reached from vardesk-desktop by normal (shipped) dependencies on every target. */
function crates() {
  const found = new Map();
  for (const target of TARGETS) {
    const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--locked", "--filter-platform", target],
      { cwd: repo, encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "inherit"] }));
    const packages = new Map(meta.packages.map((p) => [p.id, p]));
    const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
    const stack = [meta.packages.find((p) => p.name === "vardesk-desktop").id];
    const seen = new Set();
    while (stack.length) {
      const id = stack.pop();
      if (seen.has(id)) continue;
      seen.add(id);
      for (const dep of nodes.get(id).deps) if (dep.dep_kinds.some((k) => k.kind === null)) stack.push(dep.pkg);
    }
    for (const id of seen) {
      const p = packages.get(id);
      if (p.source === null) continue; // VarDesk's own crates
      found.set(`${p.name} ${p.version}`, p);
    }
  }
  return [...found.values()].map((p) => ({
    name: p.name,
    version: p.version,
    licence: p.license ?? "see the licence text",
    source: p.repository ?? `https://crates.io/crates/${p.name}`,
    texts: licenceTexts(dirname(p.manifest_path)),
  }));
}

/** The UI's runtime packages (dependencies, not devDependencies) and theirs. */
function npmPackages() {
  const lock = JSON.parse(readFileSync(join(repo, "ui/package-lock.json"), "utf8")).packages;
  const stack = Object.keys(lock[""].dependencies ?? {});
  const seen = new Map();
  while (stack.length) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    const entry = lock[`node_modules/${name}`];
    seen.set(name, entry);
    stack.push(...Object.keys(entry.dependencies ?? {}));
  }
  return [...seen].map(([name, entry]) => ({
    name,
    version: entry.version,
    licence: entry.license ?? "see the licence text",
    source: `https://www.npmjs.com/package/${name}`,
    texts: licenceTexts(join(repo, "ui/node_modules", name)),
  }));
}

const fonts = [{
  name: "DejaVu Sans and DejaVu Sans Bold",
  version: "2.37",
  licence: "Bitstream Vera Fonts licence and public domain changes",
  source: "https://dejavu-fonts.github.io/",
  texts: [(() => {
    const text = readFileSync(join(repo, "crates/vardesk-pdf/fonts/LICENSE-DejaVu.txt"), "utf8").replace(/\r\n/g, "\n").trim();
    texts.push(text);
    return texts.length - 1;
  })()],
}];
const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
const result = { fonts, rust: crates().sort(byName), npm: npmPackages().sort(byName), texts };
const json = `${JSON.stringify(result, null, 1)}\n`;
if (process.argv.includes("--check")) {
  if (!existsSync(out) || readFileSync(out, "utf8") !== json) {
    console.error("src-tauri/licences/third-party.json is out of date: run node scripts/licences.mjs");
    process.exit(1);
  }
} else {
  writeFileSync(out, json);
  console.log(`${result.rust.length} crates, ${result.npm.length} npm packages, ${texts.length} licence texts, ${json.length} bytes`);
}
