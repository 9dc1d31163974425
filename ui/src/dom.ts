// Tiny DOM helpers. Text always goes in as text nodes (never innerHTML), so a customer
// named "<script>" is shown, not run.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "testid") el.dataset.testid = String(value);
    else if (key === "class") el.className = String(value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === "value" || key === "checked" || key === "disabled" || key === "selected") {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Keeps only the newest of overlapping requests (a search typed on, a preview redone):
 *  `const newest = latest();` once, then per request `const current = newest();` and, after
 *  each await, `if (!current()) return;` — a reply that arrives late is dropped. */
export function latest(): () => () => boolean {
  let seq = 0;
  return () => {
    const mine = ++seq;
    return () => mine === seq;
  };
}

/** A short message at the bottom of the window. */
export function toast(message: string, kind: "ok" | "error" = "ok"): void {
  // One message at a time: a newer one replaces the last instead of piling on top of it.
  for (const old of document.querySelectorAll(".toast")) old.remove();
  const el = h("div", { class: `toast toast-${kind}`, role: "status", testid: "toast" }, message);
  document.body.appendChild(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 4000);
}

/** A modal dialog; Esc and the close button call `onClose`. Returns the dialog element. */
export function modal(title: string, body: Node, testid: string, onClose: () => void): HTMLElement {
  const close = () => {
    document.removeEventListener("keydown", onKey);
    backdrop.remove();
    onClose();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  };
  const dialog = h(
    "div",
    { class: "dialog", role: "dialog", "aria-modal": "true", "aria-label": title, testid },
    h(
      "header",
      { class: "dialog-header" },
      h("h2", {}, title),
      h("button", { class: "icon-button", "aria-label": "Close", title: "Close (Esc)", onclick: close }, "×"),
    ),
    h("div", { class: "dialog-body" }, body),
  );
  const backdrop = h("div", { class: "backdrop" }, dialog);
  document.addEventListener("keydown", onKey);
  document.body.appendChild(backdrop);
  closers.set(dialog, close);
  return dialog;
}

const closers = new WeakMap<HTMLElement, () => void>();

/** Closes a dialog made by `modal`. */
export function closeModal(dialog: HTMLElement): void {
  closers.get(dialog)?.();
}

/** Asks a yes/no question in the app's own dialog (Esc or Cancel is no). */
export function confirmDialog(question: string, yes: string, details: Node | null = null): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (value: boolean) => {
      answered = true;
      closeModal(dialog);
      resolve(value);
    };
    const ok = h("button", { class: "primary", testid: "confirm-yes", onclick: () => answer(true) }, yes);
    const cancel = h("button", { testid: "confirm-no", onclick: () => answer(false) }, "Cancel");
    const dialog = modal("Please confirm", h("div", {}, h("p", {}, question), details ?? "",
      h("div", { class: "form-actions" }, ok, cancel)),
      "confirm-dialog", () => { if (!answered) resolve(false); });
    // What is asked here cannot be undone (accept, restore, issue, leave unsaved): Enter on
    // the default focus must not do it.
    cancel.focus();
  });
}

/**
 * Keys in a picker: Enter in the search picks the first match (after the newest search has
 * come back), the arrow keys walk the list and back to the search.
 */
export function pickerKeys(search: HTMLInputElement, list: HTMLElement, refreshed: () => Promise<void>): void {
  const picks = () => [...list.querySelectorAll<HTMLButtonElement>("button.pick")];
  search.addEventListener("keydown", async (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      await refreshed();
      picks()[0]?.click();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      picks()[0]?.focus();
    }
  });
  list.addEventListener("keydown", (e) => {
    const all = picks();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      (at === 0 ? search : all[at - 1]).focus();
    }
  });
}
