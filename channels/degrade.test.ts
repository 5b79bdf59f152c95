import { describe, expect, test } from 'vitest';
import type { OutboundKind, OutboundMessage } from '../core/message.js';
import { renderFor, RICH_CAPABILITIES, TEXT_ONLY_CAPABILITIES } from './degrade.js';

const choice: OutboundMessage = {
  kind: 'choice',
  text: 'What colour is the light?',
  options: [
    { label: 'Blinking red', value: 'tree:blinking-red' },
    { label: 'Solid red', value: 'tree:solid-red' },
    { label: 'Solid white', value: 'tree:solid-white' },
    { label: 'Off', value: 'tree:off' },
  ],
};

describe('rendering for a channel', () => {
  test('web chat gets the message as it is', () => {
    expect(renderFor(choice, RICH_CAPABILITIES)).toEqual([choice]);
  });

  test('a text-only channel gets the options as numbered lines', () => {
    expect(renderFor(choice, TEXT_ONLY_CAPABILITIES)).toEqual([{ kind: 'text', text: 'What colour is the light?\n1. Blinking red\n2. Solid red\n3. Solid white\n4. Off' }]);
  });

  test('more options than the channel has buttons become a list', () => {
    const threeButtons = { kinds: new Set<OutboundKind>(['text', 'choice']), maxTextLength: 4096, maxButtons: 3 };
    expect(renderFor(choice, threeButtons)[0]?.kind).toBe('text');
    const short: OutboundMessage = { kind: 'choice', text: 'Did that help?', options: [{ label: 'Yes', value: 'y' }, { label: 'No', value: 'n' }] };
    expect(renderFor(short, threeButtons)).toEqual([short]);
  });

  test('a long text is split at word boundaries, each part within the limit, nothing lost', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const parts = renderFor({ kind: 'text', text: words }, TEXT_ONLY_CAPABILITIES);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.kind).toBe('text');
      if (part.kind === 'text') expect(part.text.length).toBeLessThanOrEqual(1600);
    }
    expect(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(' ')).toBe(words);
  });

  test('a card and a location become text with their link', () => {
    const card: OutboundMessage = { kind: 'card', title: 'Order 100234', text: 'Shipped', link: { title: 'Track', url: 'https://track.example/1' } };
    expect(renderFor(card, TEXT_ONLY_CAPABILITIES)).toEqual([{ kind: 'text', text: 'Order 100234\nShipped\nTrack: https://track.example/1' }]);
  });
});
