// First run: the company profile, then the offer of sample data. Never an empty screen.
import { call, messageOf } from "../api";
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
      const n = await call<number>("answer_sample_data", { load });
      if (load) toast(`Loaded ${n} sample customers and the sample catalog.`);
      done();
    } catch (e) {
      button.disabled = false;
      status.textContent = messageOf(e);
    }
  };
  const status = h("p", { class: "field-error", role: "alert", testid: "sample-error" });
  const load: HTMLButtonElement = h("button", { class: "primary", testid: "load-sample", onclick: () => answer(true, load) }, "Load sample data");
  const empty: HTMLButtonElement = h("button", { testid: "start-empty", onclick: () => answer(false, empty) }, "Start with an empty database");
  page.append(
    h("h1", {}, "Load sample data?"),
    h("p", { class: "lead" }, "18 example customers (from Müller & Söhne GmbH to Łódź Logistics) with their mail environments, and a starter catalog of Microsoft 365 plans, managed services and migration labour. Edit or archive them at any time."),
    h("div", { class: "form-actions" }, load, empty),
    status,
  );
  load.focus();
}
