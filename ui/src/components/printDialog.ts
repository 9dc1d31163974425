// Print…: the printers the system has (the default, or the one used last, chosen), the
// number of copies, then the document goes to that printer. Ctrl+P opens the same dialog.
import { commands, messageOf } from "../api";
import { closeModal, h, modal, toast } from "../dom";
import type { PrinterChoice } from "../types";

const LAST_KEY = "vardesk.printer";

/** `print(printer, copies)` sends the document and returns what the system said. */
export async function printDialog(what: string, print: (printer: string, copies: number) => Promise<string>): Promise<void> {
  let choice: PrinterChoice;
  try {
    choice = await commands.printers();
  } catch (e) {
    toast(messageOf(e), "error");
    return;
  }
  if (!choice.printers.length) {
    toast("No printer is set up on this computer: open the PDF and print it from the viewer, or add a printer in the system settings.", "error");
    return;
  }
  const names = choice.printers.map((p) => p.name);
  const last = localStorage.getItem(LAST_KEY);
  const chosen = last && names.includes(last) ? last : choice.preferred && names.includes(choice.preferred) ? choice.preferred : names[0];
  const printer = h("select", { testid: "print-printer", "aria-label": "Printer" },
    choice.printers.map((p) => h("option", { value: p.name, selected: p.name === chosen }, p.default ? `${p.name} (default)` : p.name))) as HTMLSelectElement;
  printer.value = chosen;
  const copies = h("input", { type: "number", min: "1", max: "99", value: "1", class: "short-input", testid: "print-copies", "aria-label": "Copies" }) as HTMLInputElement;
  const error = h("p", { class: "field-error", role: "alert" });
  const go = h("button", { class: "primary", testid: "print-go" }, "Print") as HTMLButtonElement;
  go.addEventListener("click", async () => {
    const n = Number(copies.value);
    if (!Number.isInteger(n) || n < 1 || n > 99) {
      error.textContent = "Copies: a whole number from 1 to 99.";
      return;
    }
    go.disabled = true;
    try {
      const said = await print(printer.value, n);
      localStorage.setItem(LAST_KEY, printer.value);
      closeModal(dialog);
      toast(`Sent to the printer ${printer.value} (${said}).`);
    } catch (e) {
      error.textContent = messageOf(e);
      go.disabled = false;
    }
  });
  const dialog = modal(`Print ${what}`, h("div", { class: "import" },
    h("div", { class: "form-actions" }, h("label", {}, "Printer ", printer), h("label", {}, "Copies ", copies)),
    error, h("div", { class: "form-actions" }, go, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "print-dialog", () => {});
  go.focus();
}
