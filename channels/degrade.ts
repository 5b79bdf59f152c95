import type { ChannelCapabilities } from '../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../core/message.js';

/** The part of a connector's declared capabilities that decides how a message is shown. */
export type RenderCapabilities = Pick<ChannelCapabilities, 'kinds' | 'maxTextLength' | 'maxButtons'>;

/** Web chat renders everything. */
export const RICH_CAPABILITIES: RenderCapabilities = {
  kinds: new Set<OutboundKind>(['text', 'choice', 'card', 'media', 'location']),
  maxTextLength: 4000,
  maxButtons: 10,
};

/** A text-only channel (SMS, a test connector). */
export const TEXT_ONLY_CAPABILITIES: RenderCapabilities = { kinds: new Set<OutboundKind>(['text']), maxTextLength: 1600, maxButtons: 0 };

/**
 * The one place that turns a message into what a channel can show: a kind it can't render
 * becomes text (a choice becomes "1. …" lines, which the choice resolver maps back when the
 * customer types a number or a label), a choice with more options than buttons becomes text,
 * and a text over the channel's length is split at line or word boundaries, never mid-word.
 */
export function renderFor(message: OutboundMessage, capabilities: RenderCapabilities): OutboundMessage[] {
  const fits = capabilities.kinds.has(message.kind) && !(message.kind === 'choice' && message.options.length > capabilities.maxButtons);
  if (fits && (message.kind !== 'text' || message.text.length <= capabilities.maxTextLength)) return [message];
  const text = fits && message.kind === 'text' ? message.text : degradeToText(message);
  return splitText(text, capabilities.maxTextLength).map((part) => ({ kind: 'text', text: part }));
}

function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
