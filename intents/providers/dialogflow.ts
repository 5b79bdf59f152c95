import { randomUUID } from 'node:crypto';
import { SessionsClient } from '@google-cloud/dialogflow';
import { SwitchboardError } from '../../core/errors.js';
import type { IntentScore } from '../../core/nlu.js';
import type { IntentRanker } from '../pipeline/steps.js';

/** The part of SessionsClient the ranker uses (the real class in production and in tests). */
export type DetectIntentClient = Pick<SessionsClient, 'detectIntent' | 'projectAgentSessionPath'>;

export interface DialogflowRankerOptions {
  projectId: string;
  /** Intent names the bot knows; any other Dialogflow intent is out of scope ('provider'). */
  knownIntents: readonly string[];
  client?: DetectIntentClient;
  languageCode?: string;
}

/**
 * Dialogflow ES detectIntent as a ranker. ES returns only its top intent, so the ranking has one
 * entry; its confidence is Dialogflow's own, never adjusted. Fallback intents and intents the bot
 * does not know are out of scope with reason 'provider'.
 */
export function dialogflowRanker(options: DialogflowRankerOptions): IntentRanker {
  const client = options.client ?? new SessionsClient();
  const known = new Set(options.knownIntents);
  return {
    provider: 'dialogflow',
    async rank(text, context) {
      // Flows keep the conversation state, so every message is its own Dialogflow session.
      const session = client.projectAgentSessionPath(options.projectId, randomUUID());
      let response;
      try {
        [response] = await client.detectIntent({
          session,
          queryInput: { text: { text, languageCode: context.locale ?? options.languageCode ?? 'en' } },
        });
      } catch (error) {
        throw new SwitchboardError('SB_ERR_UNAVAILABLE', 'Dialogflow detectIntent failed', [{ path: 'dialogflow.detectIntent', message: error instanceof Error ? error.message : String(error) }], { cause: error });
      }
      const result = response.queryResult;
      const name = result?.intent?.displayName ?? '';
      const confidence = clamp(result?.intentDetectionConfidence ?? 0);
      const ranking: IntentScore[] = name === '' ? [] : [{ intent: name, confidence }];
      const inScope = name !== '' && !result?.intent?.isFallback && known.has(name);
      return { ranking, verdict: inScope ? { intent: name, confidence, outOfScope: null } : { intent: null, confidence, outOfScope: 'provider' } };
    },
  };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
