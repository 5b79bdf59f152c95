import { describe, expect, test } from 'vitest';
import type { GenerativeAnswerer, GroundingPassage } from '../../core/grounding.js';
import { createRetriever, loadKnowledgeBase } from '../../knowledge/index.js';
import { KnowledgeAnswerer } from './answer.js';

const base = await loadKnowledgeBase();
const knowledge = { current: () => ({ base, retriever: createRetriever(base.articles) }) };
const answererWith = (generative: GenerativeAnswerer | null) => new KnowledgeAnswerer({ knowledge, generative, publicUrl: () => 'https://shop.test' });
const question = { question: 'how long do I have to return headphones?', minimum: 'tentative' as const };

describe('composing a knowledge-base answer', () => {
  test('without a model: the article title, the quoted passage and the article link', async () => {
    const answer = await answererWith(null).answer(question);
    expect(answer).toMatchObject({ kind: 'answered', articleId: 'return-policy', generated: false });
    expect(answer.kind === 'answered' && answer.messages[0]).toMatchObject({
      kind: 'card',
      title: 'Return policy and return windows',
      text: expect.stringMatching(/^(.*\n)?“.+”$/s),
      link: { url: 'https://shop.test/help/return-policy' },
    });
  });

  test('with a model: the generated text grounded in the passages given, citing the articles it used', async () => {
    let given: GroundingPassage[] = [];
    const answer = await answererWith({
      answer: (_q, passages) => {
        given = passages;
        return Promise.resolve({ text: 'You have 30 days from delivery.', citedArticleIds: ['return-policy'] });
      },
    }).answer(question);
    expect(given.map((p) => p.articleId)).toContain('return-policy');
    expect(given.every((p) => p.url.startsWith('https://shop.test/help/'))).toBe(true);
    expect(answer).toMatchObject({ kind: 'answered', articleId: 'return-policy', generated: true });
    expect(answer.kind === 'answered' && answer.messages.map((m) => (m.kind === 'card' ? m.title : m.kind))).toEqual(['text', 'Source: Return policy and return windows']);
  });

  test.each([
    ['declines (null)', () => Promise.resolve(null)],
    ['fails', () => Promise.reject(new Error('model down'))],
    ['cites an article it was not given', () => Promise.resolve({ text: 'Ninety days.', citedArticleIds: ['made-up'] })],
  ])('falls back to the quoted passage when the model %s', async (_name, answer) => {
    const result = await answererWith({ answer }).answer(question);
    expect(result).toMatchObject({ kind: 'answered', articleId: 'return-policy', generated: false });
  });

  test('does not guess: an unrelated question is unsure, and a merely plausible one is unsure for the fallback', async () => {
    expect(await answererWith(null).answer({ question: 'who won the game last night', minimum: 'tentative' })).toEqual({ kind: 'unsure', confidence: 'none' });
    expect(await answererWith(null).answer({ question: 'where is my refund', minimum: 'confident' })).toMatchObject({ kind: 'unsure' });
  });
});
