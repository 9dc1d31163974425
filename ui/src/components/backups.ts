// Backups in Settings: where the data and its backups live, "Back up now", how many to keep,
// and restore (from the list or from a file), always checked and confirmed first.
import { commands, messageOf } from "../api";
import { append, clear, confirmDialog, h, toast } from "../dom";
import type { BackupStatus, CheckedFile } from "../types";
import { formatCount, formatMoney } from "../format";

const KINDS: Record<string, string> = {
  daily: "Daily (automatic)", manual: "Backed up by hand", "before-upgrade": "Before an upgrade", "before-restore": "Before a restore",
};

function size(bytes: number, locale: string): string {
  return bytes >= 1024 * 1024 ? `${formatCount(Math.round(bytes / 1024 / 102.4) / 10, locale)} MB` : `${formatCount(Math.ceil(bytes / 1024), locale)} KB`;
}

/** The Backups panel; `onRestored` reloads the app on the restored data. */
export function backupsPanel(locale: string, onRestored: () => void): HTMLElement {
  const panel = h("section", { class: "panel backups", testid: "backups" });
  const render = (s: BackupStatus) => {
    const keep = h("input", { type: "text", inputmode: "numeric", class: "short-input", value: String(s.settings.keep), testid: "backup-keep", "aria-label": "Backups to keep" });
    const keepError = h("span", { class: "field-error", testid: "backup-keep-error" });
    const saveSettings = async (folder: string | null) => {
      const n = keep.value.trim();
      if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 365) {
        keepError.textContent = "Keep between 1 and 365 backups.";
        return;
      }
      try {
        render(await commands.saveBackupSettings(folder, Number(n)));
        toast("Backup settings saved.");
      } catch (e) {
        keepError.textContent = messageOf(e);
      }
    };
    const currentFolder = s.settings.custom_folder ? s.settings.folder : null;
    const rows = s.backups.map((b) => h("tr", { testid: "backup-row", "data-kind": b.kind },
      h("td", {}, b.created), h("td", {}, KINDS[b.kind] ?? b.kind), h("td", { class: "num" }, size(b.bytes, locale)),
      h("td", { class: "num" }, h("button", { type: "button", class: "small", testid: "backup-restore", onclick: () => restore(b.path) }, "Restore…"))));
    clear(panel);
    append(panel, [
      h("h2", {}, "Backups"),
      h("p", { class: "muted small" }, "VarDesk backs up once a day when it starts, before an upgrade and before a restore. Each backup is checked after it is written."),
      s.problem ? h("p", { class: "field-error", role: "alert", testid: "backup-problem" }, `Today's automatic backup failed: ${s.problem}`) : null,
      h("dl", { class: "facts" },
        h("dt", {}, "Your data"), h("dd", { testid: "db-path" }, s.db_path),
        h("dt", {}, "Backup folder"), h("dd", {}, h("span", { testid: "backup-folder" }, s.settings.folder), " ",
          h("button", { type: "button", class: "small", testid: "backup-folder-change", onclick: async () => {
            try {
              const chosen = await commands.chooseBackupFolder();
              if (chosen) await saveSettings(chosen);
            } catch (e) {
              toast(messageOf(e), "error");
            }
          } }, "Change…"),
          s.settings.custom_folder ? h("button", { type: "button", class: "small", onclick: () => saveSettings(null) }, "Use the default") : null),
        h("dt", {}, "Keep"), h("dd", {}, keep, " newest backups ",
          h("button", { type: "button", class: "small", testid: "backup-keep-save", onclick: () => saveSettings(currentFolder) }, "Save"), " ", keepError)),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "primary", testid: "backup-now", onclick: async (e: Event) => {
          const button = e.currentTarget as HTMLButtonElement;
          button.disabled = true;
          try {
            const next = await commands.backUpNow();
            render(next);
            toast(`Backed up to ${next.backups[0]?.path ?? next.settings.folder}.`);
          } catch (err) {
            toast(messageOf(err), "error");
            button.disabled = false;
          }
        } }, "Back up now"),
        h("button", { type: "button", testid: "restore-file", onclick: async () => {
          try {
            const picked = await commands.pickBackupFile();
            if (picked) await confirmAndRestore(picked, locale, onRestored);
          } catch (e) {
            toast(messageOf(e), "error");
          }
        } }, "Restore from a file…"),
        h("button", { type: "button", testid: "export-everything", onclick: async (e: Event) => {
          const button = e.currentTarget as HTMLButtonElement;
          button.disabled = true;
          try {
            const done = await commands.exportEverything();
            if (done) toast(`Exported ${formatCount(done[1].customers, locale)} customers, ${formatCount(done[1].invoices, locale)} invoices and ${formatCount(done[1].pdfs, locale)} PDFs to ${done[0]}.`);
          } catch (err) {
            toast(messageOf(err), "error");
          } finally {
            button.disabled = false;
          }
        }, title: "Customers, quotes, invoices, payments and subscriptions as CSV, and every issued invoice as PDF, in one ZIP" }, "Export everything…")),
      s.backups.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "list compact" },
          h("thead", {}, h("tr", {}, h("th", {}, "Made"), h("th", {}, "Why"), h("th", { class: "num" }, "Size"), h("th", {}, ""))),
          h("tbody", { testid: "backup-rows" }, rows)))
        : h("p", { class: "muted", testid: "no-backups" }, "No backups in this folder yet."),
    ]);
  };
  const restore = (path: string) => offerRestore(path, locale, onRestored);
  commands.backupStatus().then(render).catch((e) => panel.replaceChildren(h("p", { class: "field-error" }, messageOf(e))));
  return panel;
}

/** Checks a backup file (also one opened from the file manager), then asks and restores. */
export async function offerRestore(path: string, locale: string, onRestored: () => void): Promise<void> {
  try {
    const checked = await commands.checkBackupFile(path);
    await confirmAndRestore(checked, locale, onRestored);
  } catch (e) {
    toast(messageOf(e), "error");
  }
}

async function confirmAndRestore(checked: CheckedFile, locale: string, onRestored: () => void): Promise<void> {
  const { path, check: c, lost } = checked;
  const removed = lost.length
    ? ` It removes ${formatCount(lost.length, locale)} issued document${lost.length === 1 ? "" : "s"} made since the backup; their numbers are never issued again:`
    : "";
  const list = lost.length
    ? h("ul", { class: "lost-documents", testid: "restore-lost" }, lost.map((d) => h("li", {}, `${d.number} · ${d.customer} · ${formatMoney(d.total, d.currency, locale)}`)))
    : null;
  const yes = await confirmDialog(
    `Replace all of VarDesk's current data with the backup ${path}, of ${c.company || "your company"} (${formatCount(c.customers, locale)} customers, ${formatCount(c.invoices, locale)} invoices)? The current data is backed up first.${removed}`,
    "Restore this backup", list);
  if (!yes) return;
  try {
    const outcome = await commands.restoreBackup(path);
    toast(`Restored. The data it replaced is in ${outcome.safety_backup.name}.`);
    onRestored();
  } catch (e) {
    toast(messageOf(e), "error");
  }
}
