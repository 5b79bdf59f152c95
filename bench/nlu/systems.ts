import { createRequire } from 'node:module';
import { OOS_LABEL, trainClassifier, type TrainedClassifier } from '../../intents/classifier/index.js';
import type { LabelledRow } from './dataset.js';
import type { Prediction } from './metrics.js';

/** A system under benchmark: trained once on the train split, then asked one text at a time. */
export interface BenchSystem {
  train(rows: readonly LabelledRow[]): Promise<void>;
  predict(text: string): Prediction | Promise<Prediction>;
}

export const SYSTEM_NAMES = ['switchboard', 'nlpjs'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

class SwitchboardSystem implements BenchSystem {
  private model: TrainedClassifier | null = null;

  async train(rows: readonly LabelledRow[]): Promise<void> {
    this.model = trainClassifier(rows.map((r) => ({ text: r.text, intent: r.intent })));
  }

  predict(text: string): Prediction {
    const model = this.model!;
    const ranking = model.rank(text);
    const decision = model.decide(ranking);
    const closed = ranking.find((s) => s.intent !== OOS_LABEL)?.intent ?? null;
    return { closed, deployed: decision.intent };
  }
}

interface NlpJsResult {
  intent: string;
  score: number;
  classifications?: Array<{ intent: string; score: number }>;
}
interface NlpJsManager {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<NlpJsResult>;
}

/** nlp.js 4 as a Node developer would use it: NlpManager defaults, out-of-scope rows as its "None" intent. */
class NlpJsSystem implements BenchSystem {
  private manager: NlpJsManager | null = null;

  async train(rows: readonly LabelledRow[]): Promise<void> {
    const require = createRequire(import.meta.url);
    const { NlpManager } = require('node-nlp') as { NlpManager: new (settings: object) => NlpJsManager };
    const manager = new NlpManager({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false } });
    for (const row of rows) manager.addDocument('en', row.text, row.intent === OOS_LABEL ? 'None' : row.intent);
    await manager.train();
    this.manager = manager;
  }

  async predict(text: string): Promise<Prediction> {
    const result = await this.manager!.process('en', text);
    const closed = result.classifications?.find((c) => c.intent !== 'None')?.intent ?? null;
    const deployed = result.intent === 'None' ? null : result.intent;
    return { closed, deployed };
  }
}

export function createSystem(name: SystemName): BenchSystem {
  switch (name) {
    case 'switchboard':
      return new SwitchboardSystem();
    case 'nlpjs':
      return new NlpJsSystem();
    default: {
      const unknown: never = name;
      throw new Error(`unknown system ${String(unknown)}`);
    }
  }
}
