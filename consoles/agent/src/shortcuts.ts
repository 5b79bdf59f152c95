import { onBeforeUnmount, onMounted } from 'vue';

/** The console's keyboard shortcuts (docs/agents.md, "Keyboard shortcuts"); the help popover lists them from here. */
export const SHORTCUTS = [
  { action: 'next', keys: 'Alt+N', does: 'Open the next conversation in the queue' },
  { action: 'reply', keys: 'Alt+R', does: 'Go to the Reply box' },
  { action: 'note', keys: 'Alt+I', does: 'Go to the Internal note box' },
  { action: 'resolve', keys: 'Alt+S', does: 'Resolve: go to Disposition, then Enter resolves' },
  { action: 'draft', keys: 'Alt+D', does: 'Suggest a draft into the Reply box' },
  { action: 'help', keys: '?', does: 'Show these shortcuts (outside text boxes)' },
] as const;
export type ShortcutAction = (typeof SHORTCUTS)[number]['action'];

/** Keys in the Reply and Internal note boxes themselves (listed in the help, handled by the boxes). */
export const BOX_KEYS = [
  { keys: 'Enter', does: 'Send the reply (Shift+Enter: a new line)' },
  { keys: '/', does: 'At the start of an empty Reply box: pick a canned response by its shortcut' },
  { keys: 'Ctrl+Enter', does: 'Add the internal note' },
  { keys: 'Esc', does: 'Close the canned responses or this help' },
] as const;

const ALT_KEYS: Record<string, ShortcutAction> = { KeyN: 'next', KeyR: 'reply', KeyI: 'note', KeyS: 'resolve', KeyD: 'draft' };

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The shortcut a key press means, or null. Alt+letter works everywhere (no text box takes it;
 * `code`, not `key`, so a Mac's Alt+N "˜" still counts); "?" only outside text boxes, where
 * typing a question mark is typing.
 */
export function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) return ALT_KEYS[event.code] ?? null;
  if (event.key === '?' && !event.altKey && !event.ctrlKey && !event.metaKey && !typingIn(event.target)) return 'help';
  return null;
}

/** Calls `handle` for the shortcuts in `actions` while the component is mounted. */
export function useShortcuts(actions: readonly ShortcutAction[], handle: (action: ShortcutAction) => void): void {
  const listener = (event: KeyboardEvent): void => {
    const action = shortcutOf(event);
    if (action === null || !actions.includes(action)) return;
    event.preventDefault();
    handle(action);
  };
  onMounted(() => window.addEventListener('keydown', listener));
  onBeforeUnmount(() => window.removeEventListener('keydown', listener));
}
