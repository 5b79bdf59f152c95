/**
 * "and the other one I ordered?", "what about my other order": right after one order was
 * answered, the customer asks about a different one without its number.
 */
const OTHER_ORDER = /\b(?:the|my|that|your) other (?:one|order|package|parcel)\b|\bother orders?\b/i;

/** True when the message asks about an order other than the one just discussed. */
export function asksAboutOtherOrder(text: string): boolean {
  return OTHER_ORDER.test(text);
}
