// What the shown screen offers the window: a check for unsaved changes (asked before
// leaving it), what Ctrl/Cmd+P prints, Ctrl/Cmd+S saves, Ctrl/Cmd+N creates and Ctrl/Cmd+F
// finds. Every screen sets what it has; all is reset whenever another screen is shown.
export const screenState: {
  unsaved: () => boolean;
  print: (() => void) | null;
  save: (() => void) | null;
  create: (() => void) | null;
  find: (() => void) | null;
} = { unsaved: () => false, print: null, save: null, create: null, find: null };

export function resetScreenState(): void {
  screenState.unsaved = () => false;
  screenState.print = null;
  screenState.save = null;
  screenState.create = null;
  screenState.find = null;
}
