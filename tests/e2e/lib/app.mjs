// Starts tauri-driver and the real VarDesk binary (each test file with its own empty data
// folder), and gives the specs small helpers that find elements by data-testid.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync, openSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../../..");
export const artifacts = join(repo, "tests/e2e/artifacts");
/** The project's shared worked examples (the Rust tests read the same folder). */
export const sharedFixtures = process.env.VARDESK_FIXTURES ?? resolve(repo, "../shared/fixtures");
const binary = process.env.VARDESK_APP ?? join(repo, "target/debug/vardesk-desktop");
/** The `vardesk` command line of the same build (scripts/build-app.sh builds it too). */
export const cli = process.env.VARDESK_CLI ?? join(repo, "target/debug/vardesk");

async function waitForDriver(port, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tauri-driver did not answer on port ${port}`);
}

/** Launches VarDesk on a fresh data folder (or `dataDir`), with command-line `args` (a file
 * to open). Returns { browser, dataDir, close, startupMs }. */
export async function launch(name, { port = 4444, dataDir = mkdtempSync(join(tmpdir(), `vardesk-e2e-${name}-`)), args = [] } = {}) {
  mkdirSync(artifacts, { recursive: true });
  // The application is a wrapper so the app gets its own data folder: tests never touch real data.
  const wrapper = join(dataDir, "vardesk-under-test.sh");
  // The "mail app" files each draft it is handed in <data>/outbox, for the test to read.
  const mailApp = join(dataDir, "mail-app.sh");
  writeFileSync(mailApp, `#!/bin/sh\nmkdir -p '${dataDir}/outbox' && cp "$1" '${dataDir}/outbox/'\n`);
  chmodSync(mailApp, 0o755);
  writeFileSync(wrapper, `#!/bin/sh\nexport VARDESK_DATA_DIR='${dataDir}'\nexport VARDESK_MAIL_APP='${mailApp}'\nexec '${binary}' "$@"\n`);
  chmodSync(wrapper, 0o755);

  const log = openSync(join(artifacts, `${name}-driver.log`), "w");
  const driverBin = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo/bin/tauri-driver");
  const driver = spawn(driverBin, ["--port", String(port), "--native-port", String(port + 1)], {
    stdio: ["ignore", log, log],
  });
  await waitForDriver(port, Date.now() + 10_000);

  const started = performance.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryTimeout: 60_000,
    connectionRetryCount: 0,
    capabilities: { "tauri:options": { application: wrapper, args } },
  });
  await browser.waitUntil(() => browser.execute(() => document.body.dataset.ready === "true"), {
    timeout: 20_000,
    timeoutMsg: "the app never signalled it was ready",
  });
  // Two animation frames: the first screen has been painted.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const startupMs = Math.round(performance.now() - started);

  const close = async () => {
    try {
      await browser.deleteSession();
    } finally {
      driver.kill("SIGTERM");
    }
  };
  return { browser, dataDir, close, startupMs };
}

/** Launches VarDesk and answers the first run: a company profile, then the sample books. */
export async function launchWithSampleData(name, options) {
  const app = await launch(name, options);
  await type(app.browser, "field-company_name", "Contoso IT Services Ltd");
  await type(app.browser, "field-country", "DE");
  await click(app.browser, "settings-save");
  await click(app.browser, "load-sample");
  await el(app.browser, "card-mrr");
  await el(app.browser, "sample-banner");
  return app;
}

/** Launches VarDesk on real books that already hold the sample company's year (made by
 * `vardesk init --sample-data`): backups and restores work on them. */
export async function launchWithBooks(name, options = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `vardesk-e2e-${name}-`));
  execFileSync(cli, ["--db", join(dataDir, "vardesk.sqlite3"), "init", "--sample-data"]);
  const app = await launch(name, { ...options, dataDir });
  await el(app.browser, "card-mrr");
  return app;
}

export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** Waits for an element by test id and returns it. */
export async function el(browser, id, timeout = 10_000) {
  const e = await byTestId(browser, id);
  await e.waitForExist({ timeout, timeoutMsg: `no element [data-testid="${id}"]` });
  return e;
}

export async function click(browser, id) {
  // Lists and the quote builder re-render as data arrives: a handle found a moment ago may
  // be stale by the time it is clicked. Find it again then, as a user's eye would.
  for (let attempt = 1; ; attempt++) {
    try {
      const e = await el(browser, id);
      await e.waitForClickable({ timeout: 10_000 });
      // WebKitWebDriver scrolls an element only partly into view and then clicks below it
      // (seen here: 35 px scrolled, click 18 px under the button). Centre it first.
      await browser.execute((node) => node.scrollIntoView({ block: "center" }), e);
      await e.click();
      return;
    } catch (error) {
      if (attempt >= 5 || !/stale/i.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

export async function type(browser, id, text) {
  const e = await el(browser, id);
  if (text === "") {
    // Element Clear fires no input event; a user's select-all + delete does.
    await e.clearValue();
    await browser.execute((input) => input.dispatchEvent(new Event("input", { bubbles: true })), e);
  } else {
    await e.setValue(text);
  }
}

/** Waits until the element with this test id is gone (a dialog closed). */
export async function gone(browser, id) {
  await (await byTestId(browser, id)).waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: `${id} is still there` });
}

/** Puts a file into an <input type=file> the way a user's choice does, then fires change.
 *  `content` is text, or a Buffer whose bytes are sent as they are (UTF-16 files). */
export async function chooseFile(browser, id, name, content) {
  await el(browser, id);
  const base64 = Buffer.from(content).toString("base64");
  await browser.execute(
    (testid, fileName, data) => {
      const input = document.querySelector(`[data-testid="${testid}"]`);
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], fileName, { type: "text/csv" }));
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    id,
    name,
    base64,
  );
}

/** A screenshot of the window, taken after the page has painted its latest change. */
export async function screenshot(browser, name) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  // The X screen, not WebDriver's screenshot: that one never returns when WebKit renders
  // without compositing, as VarDesk does on Linux (../shared/notes/TAURI-E2E-FACTS.md). The
  // window is cut out of the screen (Xvfb has no window manager, no frame): moved to the
  // top-left corner first, so a window as large as the screen is on it whole.
  await browser.setWindowRect(0, 0, null, null);
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const { w, h, x, y } = await browser.execute(() => ({ w: window.outerWidth, h: window.outerHeight, x: window.screenX, y: window.screenY }));
  execFileSync("import", ["-window", "root", "-crop", `${w}x${h}+${x}+${y}`, "+repage", join(artifacts, `${name}.png`)]);
}

/** The text of an element, read in one step (the builder re-renders often, so a handle
 *  found a moment earlier may already be stale). Null when it is not there. */
export async function textOf(browser, id) {
  return browser.execute((testid) => document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null, id);
}

/** The class attribute of an element, read in one step. */
export async function classOf(browser, id) {
  return browser.execute((testid) => document.querySelector(`[data-testid="${testid}"]`)?.className ?? null, id);
}

/** The visible names in the customer list. */
export async function customerNames(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="customer-name"]')].map((td) => td.firstChild.textContent),
  );
}

/** Searches the customer list for `search` and expects no customer found. */
export async function findNoCustomer(browser, search) {
  await click(browser, "nav-customers");
  await type(browser, "customer-search", search);
  await el(browser, "customer-empty");
  if ((await customerNames(browser)).length) throw new Error(`"${search}" found ${await customerNames(browser)}`);
}

/** Waits until the customer list shows exactly `expected` names (in order). */
export async function waitForNames(browser, expected) {
  await browser.waitUntil(
    async () => JSON.stringify(await customerNames(browser)) === JSON.stringify(expected),
    { timeout: 10_000, timeoutMsg: `customer list never became ${JSON.stringify(expected)}: ${JSON.stringify(await customerNames(browser))}` },
  );
}

/** Answers the native (GTK) save dialog titled `title` the way a user does: types the full
 *  path into its name field and presses Enter (xdotool, from scripts/setup-debian.sh). */
export async function saveThroughDialog(title, path) {
  // The dialog may be listed beside windows of an earlier one that are going away: take the
  // first that can take the focus.
  let window = "";
  for (let i = 0; i < 100 && !window; i++) {
    let found = [];
    try {
      found = execFileSync("xdotool", ["search", "--onlyvisible", "--name", title]).toString().trim().split("\n").filter(Boolean);
    } catch {
      // not open yet
    }
    if (found.length) await new Promise((r) => setTimeout(r, 500));
    for (const id of found) {
      try {
        execFileSync("xdotool", ["windowfocus", "--sync", id], { stdio: "ignore" });
        window = id;
        break;
      } catch {
        // gone or not focusable: the next one
      }
    }
    if (!window) await new Promise((r) => setTimeout(r, 100));
  }
  if (!window) throw new Error(`the "${title}" dialog never opened`);
  execFileSync("xdotool", ["key", "--window", window, "ctrl+a"]);
  execFileSync("xdotool", ["type", "--window", window, "--delay", "5", path]);
  execFileSync("xdotool", ["key", "--window", window, "Return"]);
}
