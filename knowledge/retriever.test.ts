import { Embeddings } from '@langchain/core/embeddings';
import { beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../core/errors.js';
import { createRetriever, loadKnowledgeBase, renderPassage, type Article, type Retriever } from './index.js';

let articles: Article[];
let retriever: Retriever;

beforeAll(async () => {
  articles = (await loadKnowledgeBase()).articles;
  retriever = createRetriever(articles);
});

describe('lexical retrieval over the shipped articles', () => {
  test.each([
    ['i forgot my pasword and cant sign in', 'reset-your-password'],
    ['wify keeps droping out every hour', 'wifi-no-internet-or-dropping'],
    ['how long till i recieve my refnd on my visa', 'refund-timelines'],
    ['smart plg wont pair with the app', 'smart-plug-wont-pair'],
    ['thermostat on but no heat in the house', 'thermostat-not-heating'],
  ])('finds the right article for a typo-laden question: %s', async (question, expected) => {
    const results = await retriever.search(question, { locale: 'en' });
    expect(results.slice(0, 3).map((r) => r.article.id)).toContain(expected);
  });

  test('quotes a short, sentence-bounded passage from the article it ranks first', () => {
    const [top] = retriever.searchLexical('how many days do I have to return a laptop', { locale: 'en' });
    expect(top).toBeDefined();
    expect(top?.passage.id.startsWith(`${top?.article.id}#`)).toBe(true);
    expect(top?.article.body).toContain(top?.passage.markdown);
    expect(top?.passage.excerpt.length).toBeGreaterThan(20);
    expect(top?.passage.excerpt.length).toBeLessThanOrEqual(320);
    // Whole sentences or list items of the passage, as plain text.
    const plain = renderPassage(top?.passage.markdown ?? '');
    for (const line of top?.passage.excerpt.split('\n') ?? []) expect(plain).toContain(line);
    expect(top?.passage.excerpt).not.toMatch(/\*\*|\]\(|^#|\|/);
  });

  test.each([
    ['what payment methods do you take', 'payment-methods', /American Express/],
    ['do you accept paypal?', 'payment-methods', /PayPal/],
    ['can I pay with bitcoin', 'payment-methods', /cryptocurrency/],
    ['can you ship to germany', 'international-shipping-and-customs', /European Union/],
    ['how much is shipping', 'shipping-options-and-delivery-times', /\$5\.99/],
    ['is return shipping free?', 'return-policy', /Return shipping is free/],
    ['how many days do i have to return something', 'return-policy', /30 days/],
    ['bought a gift for christmas, can they return it in january?', 'return-policy', /January 15/],
    ['how long until my refund shows up on my debit card', 'refund-timelines', /Debit card: 5–10 business days/],
    ['if I order today will it ship today?', 'shipping-options-and-delivery-times', /2 pm/],
  ])('quotes the passage that answers, not just the right article: %s', (question, articleId, quoted) => {
    const [top] = retriever.searchLexical(question, { locale: 'en' });
    expect(top?.article.id).toBe(articleId);
    expect(top?.passage.excerpt).toMatch(quoted);
  });

  test('a product filter keeps that device family’s articles and general ones, and drops other families', () => {
    const results = retriever.searchLexical('it keeps going offline', { product: 'Voltline Cam 360', limit: 10 });
    expect(results[0]?.article.id).toBe('camera-offline');
    for (const r of results) {
      expect(r.article.products.length === 0 || r.article.products.includes('Voltline Cam 360')).toBe(true);
    }
    const onlyDevice = retriever.searchLexical('it keeps going offline', { product: 'plug', includeGeneral: false, limit: 10 });
    expect(onlyDevice.length).toBeGreaterThan(0);
    expect(onlyDevice.every((r) => r.article.products.some((p) => p.startsWith('Voltline Plug')))).toBe(true);
  });

  test('a locale filter returns only articles in that language', () => {
    const spanish = retriever.searchLexical('plazo de devolución', { locale: 'es' });
    expect(spanish.map((r) => r.article.id)).toEqual(['politica-de-devoluciones']);
    const english = retriever.searchLexical('plazo de devolución portátiles', { locale: 'en-GB', limit: 10 });
    expect(english.every((r) => r.article.locale === 'en')).toBe(true);
  });

  test('draft articles are never returned', () => {
    expect(articles.some((a) => a.id === 'holiday-returns-extension' && a.status === 'draft')).toBe(true);
    const results = retriever.searchLexical('extended holiday returns 2025 season', { limit: 50 });
    expect(results.map((r) => r.article.id)).not.toContain('holiday-returns-extension');
  });

  test('a question made only of filler words finds nothing rather than something random', () => {
    expect(retriever.searchLexical('hi, can you help me please?')).toEqual([]);
  });
});

describe('renderPassage', () => {
  test('reads a table as one line per row', () => {
    expect(renderPassage('| Paid with | Time |\n| --- | --- |\n| PayPal | 1–2 days |\n| Card | 3–5 days |')).toBe('• PayPal: 1–2 days\n• Card: 3–5 days');
  });

  test('turns Markdown into plain text a channel can quote', () => {
    const text = renderPassage('## Fix it\n\n1. **Unplug** the [router](wifi.md).\n2. Wait `30` seconds,\n   then plug it in.\n\n- _Tip_: <b>use</b> a cable');
    expect(text).toBe('Fix it\n\n1. Unplug the router.\n2. Wait 30 seconds, then plug it in.\n\n• Tip: use a cable');
  });
});

/**
 * Test double of an embeddings model: one dimension per concept, so that "cash back" and
 * "refund" land together the way a real model would put them, without downloading one.
 */
class ConceptEmbeddings extends Embeddings {
  embedded = 0;
  static readonly CONCEPTS = [/refund|cash|money/i, /camera|cam\b/i, /password|sign in/i, /parcel|deliver/i];
  constructor() {
    super({});
  }
  private vector(text: string): number[] {
    return [...ConceptEmbeddings.CONCEPTS.map((c) => (c.test(text) ? 1 : 0)), 0.01];
  }
  override embedDocuments(documents: string[]): Promise<number[][]> {
    this.embedded += documents.length;
    return Promise.resolve(documents.map((d) => this.vector(d)));
  }
  override embedQuery(document: string): Promise<number[]> {
    return Promise.resolve(this.vector(document));
  }
}

function doc(id: string, title: string, body: string, status: Article['status'] = 'published'): Article {
  return { id, title, category: 'policies', products: [], locale: 'en', tags: [], status, updated: '2025-01-01', body };
}

describe('semantic ranking fused with lexical ranking', () => {
  const small = [
    doc('refunds', 'Refunds', 'Your refund goes back to your card within 5 business days.'),
    doc('cameras', 'Cameras', 'If the camera is offline, restart it and check the Wi-Fi signal.'),
    doc('passwords', 'Passwords', 'Use the reset link to choose a new password.'),
  ];

  test('an answer with no words in common is still found through the embeddings, ranked by semantics only', async () => {
    const fused = createRetriever(small, { embeddings: new ConceptEmbeddings() });
    const results = await fused.search('when will I see the cash');
    expect(results[0]?.article.id).toBe('refunds');
    expect(results[0]?.ranks).toEqual({ lexical: null, semantic: 1 });
    expect(results[0]?.passage.excerpt).toContain('card within 5 business days');
    expect(createRetriever(small).searchLexical('when will I see the cash')).toEqual([]);
  });

  test('an article first in both rankings gets both reciprocal-rank contributions', async () => {
    const fused = createRetriever(small, { embeddings: new ConceptEmbeddings() });
    const [top] = await fused.search('camera offline');
    expect(top?.article.id).toBe('cameras');
    expect(top?.ranks).toEqual({ lexical: 1, semantic: 1 });
    expect(top?.score).toBeCloseTo(2 / 61, 10);
  });

  test('a rebuild after publishing one article embeds only the changed passages', async () => {
    const model = new ConceptEmbeddings();
    const cache = new Map<string, number[]>();
    await createRetriever(small, { embeddings: model, embeddingCache: cache }).search('refund');
    const first = model.embedded;
    const edited = [...small.slice(0, 2), doc('passwords', 'Passwords', 'Use the reset link in the email to choose a new password.')];
    await createRetriever(edited, { embeddings: model, embeddingCache: cache }).search('refund');
    expect(first).toBe(3);
    expect(model.embedded - first).toBe(1);
  });

  test('a failing embeddings model is reported as unavailable, not silently ignored', async () => {
    class DownEmbeddings extends ConceptEmbeddings {
      override embedQuery(): Promise<number[]> {
        return Promise.reject(new Error('connection refused'));
      }
    }
    const broken = createRetriever(small, { embeddings: new DownEmbeddings() });
    const error = await broken.search('refund').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).code).toBe('SB_ERR_UNAVAILABLE');
    expect(broken.searchLexical('refund')[0]?.article.id).toBe('refunds');
  });
});
