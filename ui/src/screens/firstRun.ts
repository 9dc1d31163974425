// First run: the company profile, then the offer of sample data. Never an empty screen.
import { commands, messageOf } from "../api";
import { clear, h, toast } from "../dom";
import { settingsForm } from "./settings";
import iconUrl from "../../../icons/icon.svg?url";

export async function firstRun(root: HTMLElement, needsProfile: boolean, done: () => void): Promise<void> {
  clear(root);
  const page = h("main", { class: "first-run", testid: "first-run" });
  root.appendChild(page);
  if (needsProfile) {
    page.append(
      h("div", { class: "brand-large" }, h("img", { src: iconUrl, alt: "", width: 56, height: 56 }), h("h1", {}, "Welcome to VarDesk")),
      h("p", { class: "lead" }, "Quotes, invoices and recurring revenue for Microsoft partners — on this computer, offline. First, tell VarDesk who you are."),
      await settingsForm(false, () => firstRun(root, false, done)),
    );
    (page.querySelector("[data-testid=field-company_name]") as HTMLInputElement | null)?.focus();
    return;
  }
  const answer = async (load: boolean, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const n = await commands.answerSampleData(load);
      if (load) toast(`Opened the sample books: ${n} example customers. Your own books stay empty until you start.`);
      // Own books: the moving-in checklist first (customers, numbers, open invoices…).
      else location.hash = "#/moving-in";
      done();
    } catch (e) {
      button.disabled = false;
      status.textContent = messageOf(e);
    }
  };
  const status = h("p", { class: "field-error", role: "alert", testid: "sample-error" });
  const empty: HTMLButtonElement = h("button", { class: "primary", testid: "start-empty", onclick: () => answer(false, empty) }, "Start with my own books");
  const load: HTMLButtonElement = h("button", { testid: "load-sample", onclick: () => answer(true, load) }, "Explore the sample books");
  page.append(
    h("h1", {}, "Your books are ready"),
    h("p", { class: "lead" }, "Start with your own customers, or look around first in separate sample books: a German partner with 18 customers (from Müller & Söhne GmbH to Łódź Logistics), a catalog of Microsoft 365 plans and services, quotes and a year of invoices. Nothing you do there touches your own books, and you can open them again at any time from the sidebar."),
    h("div", { class: "form-actions" }, empty, load),
    status,
  );
  empty.focus();
}
