import type { DialogueCopy } from '../copy/dialogue.js';
import type { Reply } from '../flow.js';

/** "Something else" in a clarifying question: the menu, not a guess. */
export const MENU = 'dialogue:menu';

/** The main menu, under `intro` (the menu's own when null). */
export function menu(copy: DialogueCopy, reply: Reply, intro: string | null): Reply {
  return reply.choose(intro ?? copy.menuIntro, copy.mainMenu);
}
