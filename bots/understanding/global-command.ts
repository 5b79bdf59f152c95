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

/**
 * Asking for a person in a language the bot doesn't speak ("quiero hablar con una persona", "Ich
 * möchte mit einem Mitarbeiter sprechen"): a person is the one thing it can still offer, so it
 * is not left to an English classifier.
 */
const HUMAN_ELSEWHERE = new RegExp(
  [
    // Spanish
    '\\b(?:hablar|comunicarme|habla) con (?:una persona|un humano|un agente|un asesor|un operador|alguien|una persona real)(?![\\p{L}\\p{N}])',
    // Portuguese
    '\\bfalar com (?:um atendente|uma atendente|uma pessoa|um humano|um agente|algu[eé]m|um operador)(?![\\p{L}\\p{N}])',
    // German
    '\\bmit (?:einem|einer|einem echten) (?:mitarbeiter|mitarbeiterin|menschen|person|berater|beraterin)\\b.*\\b(?:sprechen|reden)(?![\\p{L}\\p{N}])',
    // French
    "\\bparler (?:à|a|avec) (?:un conseiller|une conseill[eè]re|une personne|un humain|quelqu'un|un agent|un op[eé]rateur)(?![\\p{L}\\p{N}])",
    // Italian
    '\\bparlare con (?:un operatore|una persona|un umano|un agente|qualcuno)(?![\\p{L}\\p{N}])',
  ].join('|'),
  'u',
);

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
  return HUMAN_ELSEWHERE.test(said) ? 'human' : null;
}
