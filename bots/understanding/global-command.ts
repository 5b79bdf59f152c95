/**
 * Commands that work in every state of every flow, on every channel: the way out of anything.
 * Only a whole short message is a command ("cancel that"), never a word inside a request
 * ("cancel my order 100234" is the order-cancel intent, "stop texting me" a complaint).
 */
export type GlobalCommand = 'cancel' | 'start_over' | 'back' | 'menu' | 'human';

/** Words people put around a command ("ok just cancel it please"). */
const AROUND = /^(?:(?:ok(?:ay)?|oh|um+|uh+|hmm+|well|no|nah|sorry|actually|just|please|pls|can you|could you|can we|could we|i want to|i'?d like to|let'?s|lets)\s+)*|(?:\s+(?:please|pls|plz|thanks|thank you|then|now|already|instead|for now))*$/g;

const COMMANDS: ReadonlyArray<readonly [GlobalCommand, RegExp]> = [
  ['start_over', /^(?:start (?:over|again|from (?:the )?(?:beginning|scratch))|begin again|restart|reset|from the top|new (?:chat|conversation))$/],
  ['back', /^(?:go )?back(?: (?:a step|one step|to the (?:last|previous) (?:question|step)))?$|^previous (?:question|step)$|^undo(?: that)?$/],
  [
    'cancel',
    /^(?:cancel|stop|quit|exit|abort|forget(?: about)?|never ?mind|nvm|nm|scratch)(?: (?:it|that|this|everything|all|all of (?:it|that)|the (?:return|request|whole thing)|this (?:return|request)))?$|^forget i (?:said|asked)(?: (?:it|that|anything))?$|^i (?:don'?t|do not) want (?:it|that|this|to) anymore$|^i changed my mind,? (?:forget|cancel) (?:it|that)$|^(?:never ?mind|forget it|cancel (?:it|that)),? (?:i'?ll|i will) (?:just )?keep (?:it|them)$|^i'?ll (?:just )?keep (?:it|them)$/,
  ],
  ['menu', /^(?:(?:main|the) )?menu$|^(?:show|give) me (?:the )?(?:main )?(?:menu|options)$|^options$|^what can you (?:do|help with)$|^help$|^help me$/],
  [
    'human',
    /^(?:(?:talk|speak|chat) (?:to|with)|get me|connect me (?:to|with)|give me|transfer me to|i (?:want|need) (?:to (?:talk|speak) (?:to|with))?)? ?(?:an? )?(?:human|real person|person|agent|live agent|representative|rep|operator|someone real)(?: being)?$/,
  ],
];

function normalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(AROUND, '')
    .trim();
}

export function detectCommand(text: string): GlobalCommand | null {
  if (text.length > 80) return null;
  const said = normalized(text);
  if (said === '') return null;
  for (const [command, pattern] of COMMANDS) if (pattern.test(said)) return command;
  return null;
}
