import { z } from 'zod';
import type { GroundedAnswer, GroundingPassage } from '../../core/grounding.js';
import { RULES_MARKER } from './groundingPrompt.js';

/** A checked answer, ready for a channel. */
export type { GroundedAnswer };

const ModelReply = z.object({
  answer: z.string().nullable(),
  citations: z.array(z.string()).default([]),
});

const MAX_ANSWER_CHARS = 1200;
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi;
const HTML_TAG = /<\/?[a-z!][^>]*>/i;

/** The first {...} in the reply: models wrap JSON in prose or code fences. */
function firstJsonObject(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(/^www\./i.test(url) ? `https://${url}` : url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Turns the model's reply into an answer, or null for every reply that can't be trusted: not
 * the JSON asked for, "I don't know", empty, too long, citing nothing or an id it wasn't given,
 * linking to a host other than ours, containing HTML, or repeating its instructions. Null makes
 * the flow fall back to quoting the passage, which is always safe.
 */
export function checkModelAnswer(content: string, passages: readonly GroundingPassage[], publicUrl: string): GroundedAnswer | null {
  const parsed = ModelReply.safeParse(firstJsonObject(content));
  if (!parsed.success || parsed.data.answer === null) return null;
  const text = parsed.data.answer.trim();
  if (text === '' || text.length > MAX_ANSWER_CHARS || HTML_TAG.test(text) || text.includes(RULES_MARKER)) return null;

  const given = new Set(passages.map((p) => p.articleId));
  const cited = [...new Set(parsed.data.citations)];
  if (cited.length === 0 || cited.some((id) => !given.has(id))) return null;

  const allowedHosts = new Set([publicUrl, ...passages.map((p) => p.url)].map(hostOf).filter((h): h is string => h !== null));
  for (const match of text.matchAll(URL_PATTERN)) {
    const host = hostOf(match[0]);
    if (host === null || !allowedHosts.has(host)) return null;
  }
  return { text, citedArticleIds: cited };
}
