import type { Embeddings } from '@langchain/core/embeddings';
import type { IntentScore } from '../../core/nlu.js';

export interface EmbeddingIndex {
  /** Per-intent scores from the k nearest training phrases, normalised to sum to 1. */
  score(text: string): Promise<Map<string, number>>;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Embeds every training phrase once (one batch call), then scores messages by their k nearest phrases. */
export async function buildEmbeddingIndex(embeddings: Embeddings, examples: ReadonlyArray<{ text: string; intent: string }>, k = 5): Promise<EmbeddingIndex> {
  const vectors = await embeddings.embedDocuments(examples.map((e) => e.text));
  return {
    async score(text) {
      const query = await embeddings.embedQuery(text);
      const nearest = vectors
        .map((v, i) => ({ intent: examples[i]!.intent, similarity: cosine(query, v) }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, k);
      const scores = new Map<string, number>();
      let total = 0;
      for (const n of nearest) {
        const w = Math.max(0, n.similarity);
        scores.set(n.intent, (scores.get(n.intent) ?? 0) + w);
        total += w;
      }
      if (total > 0) for (const [intent, s] of scores) scores.set(intent, s / total);
      return scores;
    },
  };
}

/**
 * A new ranking: a weighted mean of the classifier's calibrated confidences and the kNN scores.
 * Both rankings sum to at most 1, so the fused one does too; nothing is clipped or overwritten.
 */
export function fuseRankings(classifier: readonly IntentScore[], knn: ReadonlyMap<string, number>, knnWeight: number): IntentScore[] {
  const w = Math.min(1, Math.max(0, knnWeight));
  const fused = classifier.map((s) => ({ intent: s.intent, confidence: (1 - w) * s.confidence + w * (knn.get(s.intent) ?? 0) }));
  return fused.sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
}

