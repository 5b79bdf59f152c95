/**
 * `JSON.parse` that answers `undefined` for text that is not JSON, for values read back from a
 * cache or a topic: the caller's schema then refuses it like any other bad shape.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
