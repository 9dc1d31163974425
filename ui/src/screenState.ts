// What the shown screen offers the window: a check for unsaved changes (asked before
// leaving it) and what Ctrl/Cmd+P prints. Reset whenever another screen is shown.
export const screenState: {
  unsaved: () => boolean;
  print: (() => void) | null;
} = { unsaved: () => false, print: null };

export function resetScreenState(): void {
  screenState.unsaved = () => false;
  screenState.print = null;
}
