/**
 * Placeholders of canned responses: `{{customer.firstName}}`, `{{order.number}}`… The server
 * fills what it knows; the console finds what is left (to highlight it and hold Send) with the
 * same pattern, so the two never disagree about what counts as a placeholder.
 */
export const PLACEHOLDERS = ['customer.firstName', 'customer.name', 'agent.firstName', 'agent.name', 'order.number', 'order.status', 'shop.name'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g;

/** The placeholders still in `text`, each once, in order of appearance. */
export function unfilledPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1] ?? ''))];
}

/** Every placeholder named in `text` that is not a known one. */
export function unknownPlaceholders(text: string): string[] {
  return unfilledPlaceholders(text).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** Fills the placeholders `values` has; the others stay as written, for the agent to fill. */
export function fillPlaceholders(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(PATTERN, (whole, name: string) => values[name as Placeholder] ?? whole);
}
