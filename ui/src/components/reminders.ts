// Payment reminders: the customers with overdue invoices (per currency), then for one of
// them the letter — first, second or final — with optional interest and fee, previewed by
// the backend as typed, written, and saved as a PDF or sent by e-mail.
import { commands, messageOf } from "../api";
import { clear, closeModal, debounce, h, latest, modal, toast } from "../dom";
import { formatDate, formatMoney } from "../format";
import type { Remindable } from "../types";

export const LEVELS: Record<number, string> = { 1: "First reminder", 2: "Second reminder", 3: "Final reminder" };

// The last fee and rate typed are offered again (a partner's terms rarely change).
const TERMS_KEY = "vardesk.reminder-terms";

export async function remindersDialog(locale: string, changed: () => void): Promise<void> {
  const body = h("div", { class: "import" });
  const dialog = modal("Payment reminders", body, "reminders-dialog", () => {});
  const money = (v: string, c: string) => formatMoney(v, c, locale);
  const list = async () => {
    clear(body);
    let rows: Remindable[];
    try {
      rows = await commands.remindable();
    } catch (e) {
      body.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
      return;
    }
    if (!rows.length) {
      body.append(h("p", { testid: "reminders-none" }, "Nothing is overdue: there is no one to remind."),
        h("div", { class: "form-actions" }, h("button", { onclick: () => closeModal(dialog) }, "Close")));
      return;
    }
    body.append(
      h("p", {}, "Customers with overdue invoices. Each letter lists all of a customer's overdue invoices in one currency; the next one goes a level up, to the final reminder."),
      h("div", { class: "table-wrap drafts-list" }, h("table", { class: "list" },
        h("thead", {}, h("tr", {}, ["Customer", "Overdue", "Open", "Next letter", "Last reminded", ""].map((t, i) => h("th", { class: i === 1 || i === 2 ? "num" : "" }, t)))),
        h("tbody", {}, rows.map((r) => h("tr", { testid: "remindable-row" },
          h("td", { class: "strong" }, r.customer),
          h("td", { class: "num" }, String(r.invoices)),
          h("td", { class: "num" }, money(r.open, r.currency)),
          h("td", {}, LEVELS[r.next_level]),
          h("td", {}, r.last_reminded ? formatDate(r.last_reminded, locale) : "—"),
          h("td", {}, h("button", { testid: "remind-write", onclick: () => letter(r) }, "Write…"))))))),
      h("div", { class: "form-actions" }, h("button", { onclick: () => closeModal(dialog) }, "Close")));
  };

  const letter = (r: Remindable) => {
    clear(body);
    const saved = JSON.parse(localStorage.getItem(TERMS_KEY) ?? "{}") as { fee?: string; interest?: string };
    const fee = h("input", { value: saved.fee ?? "", placeholder: "0", inputmode: "decimal", class: "short-input", testid: "reminder-fee", "aria-label": `Fee (${r.currency})` }) as HTMLInputElement;
    const interest = h("input", { value: saved.interest ?? "", placeholder: "0", inputmode: "decimal", class: "short-input", testid: "reminder-interest", "aria-label": "Interest, % a year" }) as HTMLInputElement;
    const preview = h("div", { testid: "reminder-preview", "aria-live": "polite" });
    const create = (how: "save" | "send") => async () => {
      try {
        const written = await commands.createReminder(r.customer_id, r.currency, fee.value, interest.value);
        localStorage.setItem(TERMS_KEY, JSON.stringify({ fee: fee.value, interest: interest.value }));
        changed();
        if (how === "save") {
          const path = await commands.saveReminderPdf(written.id);
          toast(path ? `${LEVELS[written.level]} for ${r.customer} written and saved as ${path}.` : `${LEVELS[written.level]} for ${r.customer} written.`);
        } else {
          const sent = await commands.sendReminder(written.id);
          toast(sent.opened ? `The reminder to ${sent.to} is open in your mail app: send it from there.`
            : `${LEVELS[written.level]} written. No mail app could open the e-mail; it is saved as ${sent.path}.`, sent.opened ? "ok" : "error");
        }
        await list();
      } catch (e) {
        preview.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
      }
    };
    const saveButton = h("button", { class: "primary", testid: "reminder-save", onclick: create("save") }, "Write and save PDF…");
    const sendButton = h("button", { testid: "reminder-send", onclick: create("send") }, "Write and send…");
    const newest = latest();
    const refresh = async () => {
      const current = newest();
      try {
        const p = await commands.previewReminder(r.customer_id, r.currency, fee.value, interest.value);
        if (!current()) return;
        clear(preview);
        const m = (v: string) => money(v, p.currency);
        preview.append(
          h("p", { class: "strong", testid: "reminder-summary" },
            `${LEVELS[p.level]}: ${p.lines.length} invoice${p.lines.length === 1 ? "" : "s"}, ${m(p.open)} open`,
            /^0(\.0+)?$/.test(p.interest) ? "" : ` + ${m(p.interest)} interest`,
            /^0(\.0+)?$/.test(p.fee) ? "" : ` + ${m(p.fee)} fee`,
            ` = ${m(p.total)}, to pay by ${formatDate(p.pay_by, locale)}.`),
          h("ul", { class: "muted small" }, p.lines.map((l) => h("li", {}, `${l.number}, due ${formatDate(l.due_date, locale)}: ${l.days_overdue} days overdue, ${m(l.open)} open`))));
        (saveButton as HTMLButtonElement).disabled = (sendButton as HTMLButtonElement).disabled = false;
      } catch (e) {
        if (!current()) return;
        clear(preview);
        preview.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
        (saveButton as HTMLButtonElement).disabled = (sendButton as HTMLButtonElement).disabled = true;
      }
    };
    const typed = debounce(refresh, 200);
    fee.addEventListener("input", typed);
    interest.addEventListener("input", typed);
    body.append(
      h("h3", {}, r.customer),
      h("div", { class: "form-actions" },
        h("label", {}, `Fee (${r.currency}) `, fee), h("label", {}, "Interest (% a year) ", interest)),
      h("p", { class: "muted small" }, "Both may stay 0. Interest is simple interest on each invoice's open amount for its days overdue; the fee is added once. Neither changes the invoices."),
      preview,
      h("div", { class: "form-actions" }, saveButton, sendButton, h("button", { testid: "reminder-back", onclick: () => void list() }, "Back")));
    void refresh();
    fee.focus();
  };
  await list();
}
