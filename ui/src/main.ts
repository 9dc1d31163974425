// VarDesk's window: first run, then the left navigation and one screen at a time.
import "./styles.css";
import iconUrl from "../../icons/icon.svg?url";
import { listen } from "@tauri-apps/api/event";
import { commands, messageOf } from "./api";
import { showAbout } from "./components/about";
import { offerRestore } from "./components/backups";
import { clear, confirmDialog, h, toast } from "./dom";
import { catalogScreen } from "./screens/catalog";
import { customerPage } from "./screens/customer";
import { customersScreen } from "./screens/customers";
import { firstRun } from "./screens/firstRun";
import { dashboardScreen } from "./screens/dashboard";
import { invoiceScreen } from "./screens/invoice";
import { invoicesScreen } from "./screens/invoices";
import { reconcileScreen } from "./screens/reconcile";
import { movingInScreen } from "./screens/movingIn";
import { subscriptionsScreen } from "./screens/subscriptions";
import * as builder from "./screens/quoteBuilder";
import { quotesScreen } from "./screens/quotes";
import { settingsScreen } from "./screens/settings";
import { resetScreenState, screenState } from "./screenState";
import type { AppStatus, StartupProblem } from "./types";

// Object.prototype is hardened here rather than frozen by Tauri's `freezePrototype`: nothing
// can be added to it and every property but `constructor` is read-only. ECharts' class
// helpers assign `constructor` on plain objects (an own property, shadowing the prototype's),
// which a frozen prototype refuses; the chart library loads with the projection screen,
// after this line, not with the window.
for (const key of Reflect.ownKeys(Object.prototype)) {
  if (key === "constructor") continue;
  const isValue = "value" in Object.getOwnPropertyDescriptor(Object.prototype, key)!;
  Object.defineProperty(Object.prototype, key, isValue ? { configurable: false, writable: false } : { configurable: false });
}
Object.preventExtensions(Object.prototype);

// Linux (WebKitGTK) takes its font straight from fontconfig (styles.css says why).
if (/Linux/.test(navigator.userAgent) && !/Android/.test(navigator.userAgent)) document.documentElement.classList.add("linux");

const NAV: [string, string][] = [
  ["dashboard", "Dashboard"], ["customers", "Customers"], ["quotes", "Quotes"], ["invoices", "Invoices"],
  ["subscriptions", "Subscriptions"], ["projection", "Projection"], ["catalog", "Catalog"], ["settings", "Settings"],
];

const root = document.getElementById("app") as HTMLElement;
let status: AppStatus;

/** `#/quotes/12` → ["quotes", ["12"]]; `#/invoices?status=overdue` → a list opened with that
 *  filter. Unknown screens fall back to the dashboard. */
/** The screens there are (the sidebar lists most; moving-in and reconcile are reached from
 *  other screens). */
const ROUTE_NAMES = ["dashboard", "customers", "quotes", "invoices", "subscriptions", "catalog", "projection", "settings", "moving-in", "reconcile"] as const;
type Route = (typeof ROUTE_NAMES)[number];

function currentRoute(): [Route, string[], URLSearchParams] {
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [key, ...rest] = path.split("/");
  const known = ROUTE_NAMES.find((r) => r === key);
  return known ? [known, rest, new URLSearchParams(query)] : ["dashboard", [], new URLSearchParams()];
}

/** The data could not be opened: say why, and offer the latest good backup when there is one. */
function problemScreen(p: StartupProblem): void {
  clear(root);
  // A backup double-clicked while another VarDesk has the data: that window restores it.
  const opened = h("p", { testid: "startup-problem-opened" });
  void commands.takeOpenedBackup().then((path) => {
    if (path) opened.textContent = `To restore ${path}, use Settings › Backups › Restore from a file… in the VarDesk window that has the data open.`;
  }).catch(() => {});
  const error = h("p", { class: "field-error", role: "alert", testid: "recover-error" });
  const restore = p.backup && p.check
    ? h("button", { class: "primary", testid: "recover-restore", onclick: async () => {
      try {
        await commands.recoverFromBackup();
        toast("The backup is restored; the damaged file is kept beside it.");
        await boot();
      } catch (e) {
        error.textContent = messageOf(e);
      }
    } }, `Restore the backup from ${p.backup.created}`)
    : null;
  root.appendChild(h("main", { class: "first-run", testid: "startup-problem" },
    h("h1", { testid: "startup-problem-title" }, p.code === "already_open" ? "VarDesk is already open on this data" : "VarDesk cannot open its data"),
    h("p", { testid: "startup-problem-message" }, p.message),
    p.backup && p.check
      ? h("p", {}, `The latest good backup is ${p.backup.name}: ${p.check.company || "your company"}, ${p.check.customers} customers, ${p.check.invoices} invoices. Restoring it keeps the damaged file beside it, renamed.`)
      : null,
    opened,
    error,
    h("div", { class: "form-actions" }, restore, h("button", { testid: "recover-quit", onclick: () => commands.quitApp() }, "Quit VarDesk"))));
}

async function boot(): Promise<void> {
  try {
    const problem = await commands.startupProblem();
    if (problem) {
      problemScreen(problem);
      document.body.dataset.ready = "true";
      return;
    }
    status = await commands.appStatus();
  } catch (e) {
    clear(root);
    root.appendChild(h("main", { class: "first-run" }, h("h1", {}, "VarDesk cannot start"), h("p", { role: "alert" }, messageOf(e))));
    return;
  }
  if (status.needs_profile || status.offer_sample_data) {
    await firstRun(root, status.needs_profile, boot);
    document.body.dataset.ready = "true";
    tellWindowReady();
  } else {
    // Asked while the first screen loads: the window does not wait for the answer.
    const opened = commands.takeOpenedBackup().catch(() => null);
    await shell();
    document.body.dataset.ready = "true";
    tellWindowReady();
    await offerOpenedBackup(opened);
  }
}

let toldReady = false;
/** Once, after the first screen with its figures is painted: the start-up time is logged. */
function tellWindowReady(): void {
  if (toldReady) return;
  toldReady = true;
  requestAnimationFrame(() => requestAnimationFrame(() => void commands.windowReady().catch(() => {})));
}

/** A `.vardesk` file double-clicked in the file manager: offer to restore it (checked and
 * confirmed first, like a restore from Settings). */
async function offerOpenedBackup(asked = commands.takeOpenedBackup().catch(() => null)): Promise<void> {
  const path = await asked;
  if (path) {
    void offerRestore(path, status.locale, () => {
      location.hash = "#/dashboard";
      void boot();
    });
  }
}
// macOS hands a file to the app that is already running.
void listen("backup-opened", () => { if (status && !status.needs_profile) void offerOpenedBackup(); });

/** The window's frame and its first screen; resolves once that screen has its data. */
function shell(): Promise<void> {
  clear(root);
  const nav = h("nav", { class: "sidebar", "aria-label": "Main" },
    h("div", { class: "brand" }, h("img", { src: iconUrl, alt: "", width: 28, height: 28 }), h("span", {}, "VarDesk")),
    h("ul", {}, NAV.map(([key, label]) => h("li", {}, h("a", { href: `#/${key}`, testid: `nav-${key}`, "data-key": key }, label)))),
    h("div", { class: "sidebar-foot muted small", title: status.db_path }, status.company_name ?? "", h("br"),
      h("button", { type: "button", class: "link-button", testid: "about-open", onclick: () => showAbout(status.locale) }, `About VarDesk ${status.version}`)));
  const main = h("main", { class: "content", testid: "content", tabindex: -1 });
  // A risk to the data (a synced folder) is said on every start until it is dealt with.
  const warning = status.data_warning
    ? h("div", { class: "data-warning", role: "alert", testid: "data-warning" }, status.data_warning,
      h("button", { type: "button", class: "small", onclick: (e: Event) => (e.currentTarget as HTMLElement).parentElement?.remove() }, "Dismiss"))
    : null;
  // The sample books are said on every screen, with the way back to the partner's own.
  const switchBooks = async (command: "open_sample_books" | "close_sample_books", button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await (command === "open_sample_books" ? commands.openSampleBooks() : commands.closeSampleBooks());
      location.hash = "#/dashboard";
      await boot();
    } catch (e) {
      button.disabled = false;
      toast(messageOf(e), "error");
    }
  };
  const back: HTMLButtonElement = h("button", { type: "button", class: "small", testid: "sample-close",
    onclick: () => switchBooks("close_sample_books", back) }, "Back to my books");
  const sample = status.sample_books
    ? h("div", { class: "sample-banner", role: "status", testid: "sample-banner" },
      h("span", {}, h("strong", {}, "Sample books. "), "Northwind Cloud Partners and its customers are examples: nothing here is in your own books, and they are built afresh each time you open them."),
      back)
    : null;
  const open: HTMLButtonElement = h("button", { type: "button", class: "link-button", testid: "sample-open",
    onclick: () => switchBooks("open_sample_books", open) }, "Explore the sample books");
  if (!status.sample_books) {
    nav.querySelector(".sidebar-foot")?.append(h("br"), open, h("br"),
      h("button", { type: "button", class: "link-button", testid: "nav-moving-in", onclick: () => { location.hash = "#/moving-in"; } }, "Moving in from another tool"));
  }
  root.append(h("div", { class: "layout" }, nav, h("div", { class: "content-column" }, sample, warning, main)));
  // Each route and the screen it shows: `params` are the path's parts after the route,
  // `query` its `?…`. A screen sets what it offers the window in `screenState`.
  const ROUTES: Record<Route, (main: HTMLElement, params: string[], query: URLSearchParams) => unknown> = {
    dashboard: (m) => dashboardScreen(m, status.locale),
    customers: (m, [id]) => (id ? customerPage(m, status.locale, Number(id)) : customersScreen(m, status.locale)),
    quotes: (m, [id, customer], q) => (id === "new"
      ? builder.quoteBuilder(m, status.locale, null, Number(customer))
      : id ? builder.quoteBuilder(m, status.locale, Number(id), null) : quotesScreen(m, status.locale, q.get("status") ?? "")),
    invoices: (m, [id, customer], q) => (id === "new"
      ? invoiceScreen(m, status.locale, null, Number(customer))
      : id ? invoiceScreen(m, status.locale, Number(id), null)
        : invoicesScreen(m, status.locale, q.get("status") ?? "", q.get("bill") ?? "")),
    subscriptions: (m) => subscriptionsScreen(m, status.locale),
    catalog: (m) => catalogScreen(m, status.locale, status.sample_books),
    // The chart library is three quarters of the script: it loads when first needed.
    projection: async (m) => (await import("./screens/projection")).projectionScreen(m, status.locale),
    settings: (m) => settingsScreen(m, status.locale, async () => {
      status = await commands.appStatus();
      void shell();
      toast("Settings saved.");
    }, () => {
      // The data changed underneath every screen: start again on it.
      location.hash = "#/dashboard";
      void boot();
    }),
    "moving-in": (m) => movingInScreen(m, status.locale),
    reconcile: (m) => reconcileScreen(m, status.locale, status.sample_books),
  };
  const show = async () => {
    const [route, params, query] = currentRoute();
    resetScreenState();
    for (const a of nav.querySelectorAll("a")) a.toggleAttribute("aria-current", a.dataset.key === route);
    clear(main);
    try {
      await ROUTES[route](main, params, query);
    } catch (e) {
      main.appendChild(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
    }
  };
  // Leaving a quote with unsaved changes asks first; "stay" puts the address back.
  let shownHash = location.hash;
  let restoring = false;
  window.onhashchange = async () => {
    if (restoring) {
      restoring = false;
      return;
    }
    if (screenState.unsaved()) {
      const leave = await confirmDialog("This screen has changes that are not saved. Leave it and lose them?", "Leave without saving");
      if (!leave) {
        restoring = true;
        location.hash = shownHash;
        return;
      }
    }
    shownHash = location.hash;
    void show();
  };
  return show();
}

document.addEventListener("keydown", (e) => {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || document.querySelector(".backdrop")) return;
  if (e.key.toLowerCase() === "n" && screenState.create) {
    e.preventDefault();
    screenState.create();
  } else if (e.key.toLowerCase() === "p" && screenState.print) {
    e.preventDefault();
    screenState.print();
  } else if (e.key.toLowerCase() === "s" && screenState.save) {
    e.preventDefault();
    screenState.save();
  } else if (e.key.toLowerCase() === "f" && screenState.find) {
    e.preventDefault();
    screenState.find();
  }
});

boot();
