/**
 * "cancel 100235 and tell me the return policy": two requests in one message. Split on the
 * joins people use between requests; each part must be long enough to be a request of its
 * own, so "black and white" or "the buds and the charger" stay whole.
 */
const JOIN = /\s*(?:[;?!]\s+|\.\s+(?=[a-z])|,?\s+(?:and also|and then|also|and|plus)\s+(?=(?:tell|what|how|can|could|do|does|is|are|where|when|why|who|i|i'?d|please|check|cancel|return|change|reset|show|give|send)\b))/i;
const MIN_WORDS = 3;

export function splitRequests(text: string): [string, string] | null {
  if (text.length > 400) return null;
  const match = JOIN.exec(text);
  if (match === null || match.index === 0) return null;
  const first = text.slice(0, match.index).trim();
  const second = text.slice(match.index + match[0].length).trim();
  const words = (s: string) => s.split(/\s+/).filter((w) => w !== '').length;
  if (words(first) < MIN_WORDS - 1 || words(second) < MIN_WORDS) return null;
  return [first, second];
}

/**
 * Whether a part asks for something ("I also want to return…", "can you cancel…", "where is…")
 * rather than tells ("I cancelled it", "it was a gift"): only a request is queued as a task.
 */
const REQUEST_CUE = /\?|\b(?:want|wanna|need|like to|can (?:you|i|we)|could (?:you|i)|would you|please|pls|help|how|where|when|what|why|which|is there|are there)\b|^(?:also\s+)?(?:cancel|return|change|reset|check|track|send|exchange|refund|update|fix|start|show|give|tell)\b/i;

export function soundsLikeRequest(text: string): boolean {
  return REQUEST_CUE.test(text.trim());
}

/** An information question ("how long does the refund take?", "who pays shipping"), not an answer given in passing. */
const QUESTION = /\?\s*$|^\s*(?:how|what|when|why|who|where|which|is|are|does|do|will|can|could)\b/i;

export function soundsLikeQuestion(text: string): boolean {
  return QUESTION.test(text);
}

/**
 * "so I got these earbuds last week … I prefer my old headphones, so can I send them back?": a
 * long message that tells a story before it asks. The story's words drown the request for a
 * classifier trained on short phrases; the request is the last clause that asks for something.
 */
const STORY_WORDS = 25;
const CLAUSE_END = /(?:[.;!?]+\s+|,\s+(?=(?:so|but|and so|anyway|now)\b)|\s+-+\s+)/i;
const MIN_REQUEST_WORDS = 4;

export function closingRequest(text: string): string | null {
  if (text.length > 600 || text.split(/\s+/).length < STORY_WORDS) return null;
  const clauses = text.split(CLAUSE_END).map((c) => c.trim()).filter((c) => c !== '');
  for (const clause of clauses.slice(1).reverse()) {
    if (clause.split(/\s+/).length >= MIN_REQUEST_WORDS && soundsLikeRequest(clause)) return clause;
  }
  return null;
}

/**
 * "tracking says delivered, nothing here. 100235": an order number given as a sentence of its
 * own says which order, not what is wrong with it; but order numbers fill the phrases of "where
 * is my order", so left in it pulls the message there. The words without it, or null.
 */
const DETACHED_NUMBER = /^(.*\S)[.,;:!?]\s*(?:#|order\s*(?:no\.?|number|#)?\s*)?\d{5,8}\s*[.!?]?\s*$/i;

export function withoutDetachedNumber(text: string): string | null {
  const words = DETACHED_NUMBER.exec(text)?.[1];
  return words === undefined || words.split(/\s+/).length < MIN_WORDS ? null : words;
}
