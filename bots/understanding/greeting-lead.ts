/**
 * "Hello, my order 100300 was supposed to come today, any news?": a greeting in front of a
 * request. Greeting phrases are short, so on a linear classifier the "hello" features outweigh
 * everything after them and the whole message reads as a greeting (or as nothing). The words
 * after the greeting are what the customer wants; they are classified on their own.
 */
const LEAD =
  /^\s*(?:(?:hi|hello|hey|hiya|howdy|heya|hallo|hola|yo|greetings|good (?:morning|afternoon|evening|day))(?: there| team| all| guys| folks| voltline)?)\s*(?:[,.!:;-]+\s*|\s+)(\S.*)$/i;
/** The rest must be a message of its own ("hi there" or "hello?" stays a greeting). */
const MIN_REST_WORDS = 3;

/** The request after a leading greeting, or null when the message is not a greeting followed by more. */
export function afterGreeting(text: string): string | null {
  const rest = LEAD.exec(text)?.[1]?.trim();
  if (rest === undefined || rest.split(/\s+/).length < MIN_REST_WORDS) return null;
  return rest;
}
