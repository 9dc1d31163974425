// What the shown screen offers the window: a check for unsaved changes (asked before
// leaving it), what Ctrl/Cmd+P prints and what Ctrl/Cmd+S saves. Reset whenever another
// screen is shown.
export const screenState: {
  unsaved: () => boolean;
  print: (() => void) | null;
  save: (() => void) | null;
} = { unsaved: () => false, print: null, save: null };

export function resetScreenState(): void {
  screenState.unsaved = () => false;
  screenState.print = null;
  screenState.save = null;
}
