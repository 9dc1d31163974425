// About VarDesk: the version, where the data and its backups live (each with "Show in
// folder"), and the licences of the fonts and libraries VarDesk ships, with their texts.
import { commands, messageOf } from "../api";
import { debounce, h, modal, toast } from "../dom";
import { formatCount } from "../format";
import iconUrl from "../../../icons/icon.svg?url";
import type { AboutInfo, Place } from "../types";

/** The licences file scripts/licences.mjs writes (shipped as is). */
interface Licensed {
  name: string;
  version: string;
  licence: string;
  source: string;
  texts: number[];
}

interface ThirdParty {
  fonts: Licensed[];
  rust: Licensed[];
  npm: Licensed[];
  texts: string[];
}

export async function showAbout(locale: string): Promise<void> {
  let info: AboutInfo;
  try {
    info = await commands.about();
  } catch (e) {
    toast(messageOf(e), "error");
    return;
  }
  const showIn = (what: Place) => async () => {
    try {
      await commands.showInFolder(what);
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
  const licences = h("div", { class: "licences", testid: "about-licences" });
  const licencesButton = h("button", { type: "button", testid: "about-show-licences", onclick: async () => {
    licencesButton.remove();
    try {
      licences.append(licenceList(JSON.parse(await commands.thirdPartyLicences()) as ThirdParty, locale));
    } catch (e) {
      licences.append(h("p", { class: "field-error" }, messageOf(e)));
    }
  } }, "Licences of fonts and libraries…");
  const body = h("div", { class: "about" },
    h("div", { class: "about-head" },
      h("img", { src: iconUrl, alt: "", width: 64, height: 64 }),
      h("div", {},
        h("p", { class: "about-name" }, "VarDesk"),
        h("p", { testid: "about-version" }, `Version ${info.version}`),
        h("p", { class: "muted small" }, `${info.platform} · Tauri ${info.tauri} · SQLite ${info.sqlite}`))),
    h("p", {}, "Quotes, invoices and recurring revenue for Microsoft partners. Everything stays on this computer: VarDesk never goes online."),
    h("dl", { class: "facts" },
      h("dt", {}, "Your data"),
      h("dd", {}, h("span", { class: "path", testid: "about-data-file" }, info.data_file), " ",
        h("button", { type: "button", class: "small", testid: "about-show-data", onclick: showIn("data") }, "Show in folder")),
      h("dt", {}, "Backups"),
      h("dd", {}, h("span", { class: "path", testid: "about-backup-folder" }, info.backup_folder), " ",
        h("button", { type: "button", class: "small", testid: "about-show-backups", onclick: showIn("backups") }, "Show in folder")),
      h("dt", {}, "Log"),
      h("dd", {}, h("span", { class: "path", testid: "about-log-folder" }, info.log_folder), " ",
        h("button", { type: "button", class: "small", testid: "about-open-logs", onclick: showIn("logs") }, "Open log folder"))),
    h("p", { class: "muted small" }, "© 2026 VarDesk. VarDesk is released under the MIT licence."),
    licencesButton,
    licences);
  modal("About VarDesk", body, "about-dialog", () => {});
}

/** Fonts first, then libraries, each with its licence; a filter; the texts on demand. */
function licenceList(all: ThirdParty, locale: string): HTMLElement {
  const rows = (title: string, items: Licensed[]) => [
    h("tr", {}, h("th", { colspan: 3, class: "group" }, `${title} (${formatCount(items.length, locale)})`)),
    ...items.map((item) => {
      // The texts are made when first asked for: hundreds of them would slow the dialog.
      const texts = h("div", { class: "licence-texts", testid: "licence-text", hidden: true });
      const toggle = () => {
        if (!texts.childElementCount) texts.append(...item.texts.map((i) => h("pre", {}, all.texts[i])));
        texts.hidden = !texts.hidden;
      };
      return h("tr", { testid: "licence-row", "data-name": item.name.toLowerCase() },
        h("td", {}, item.name), h("td", { class: "mono" }, item.version),
        h("td", {}, item.licence, " ",
          item.texts.length ? h("button", { type: "button", class: "small", testid: "licence-toggle", onclick: toggle }, "Text") : null,
          texts));
    }),
  ];
  const body = h("tbody", {},
    rows("Fonts in the PDFs", all.fonts), rows("Libraries in the app (Rust)", all.rust), rows("Libraries in the window (JavaScript)", all.npm));
  const filter = h("input", { type: "search", class: "search", placeholder: "Filter by name…", "aria-label": "Filter licences", testid: "licence-filter",
    oninput: debounce(() => {
      const q = filter.value.trim().toLowerCase();
      for (const row of body.querySelectorAll<HTMLElement>('[data-testid="licence-row"]')) row.hidden = Boolean(q) && !row.dataset.name!.includes(q);
    }, 120) });
  return h("div", {}, filter, h("div", { class: "table-wrap licence-table" },
    h("table", { class: "list compact" }, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Version"), h("th", {}, "Licence"))), body)));
}
