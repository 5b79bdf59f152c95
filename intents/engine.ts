import { ChatOpenAI } from '@langchain/openai';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../core/config.js';
import { SwitchboardError } from '../core/errors.js';
import type { NluEngine } from '../core/nlu.js';
import { OOS_LABEL } from './classifier/index.js';
import type { CatalogueEntry } from './entities/index.js';
import { createLocalNlu } from './local.js';
import { dialogflowRanker, type DetectIntentClient } from './providers/dialogflow.js';
import { createRemoteEngine } from './providers/engine.js';
import { llmRanker } from './providers/llm.js';
import type { IntentFile } from './schema.js';

export interface NluEngineDeps {
  intents: IntentFile[];
  catalogue: CatalogueEntry[];
  /** Injected in tests; otherwise built from the configuration. */
  dialogflowClient?: DetectIntentClient;
  chatModel?: BaseChatModel;
}

type NluConfig = Pick<Config, 'NLU_PROVIDER' | 'ORDER_NUMBER_PATTERN' | 'DIALOGFLOW_PROJECT_ID' | 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY'>;

function missing(variable: string, provider: string, example: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_CONFIG', `${variable} is required when NLU_PROVIDER=${provider}. Example: ${variable}=${example}`, [{ path: variable, message: `required when NLU_PROVIDER=${provider}` }]);
}

/** The engine NLU_PROVIDER names. A provider without its settings is a start-up error, never a silent fallback. */
export async function createNluEngine(config: NluConfig, deps: NluEngineDeps): Promise<NluEngine> {
  const common = { orderNumberPattern: config.ORDER_NUMBER_PATTERN, catalogue: deps.catalogue, locale: deps.intents[0]?.locale ?? 'en' };
  const known = deps.intents.map((i) => i.name).filter((n) => n !== OOS_LABEL);
  switch (config.NLU_PROVIDER) {
    case 'local':
      return createLocalNlu({ intents: deps.intents, orderNumberPattern: config.ORDER_NUMBER_PATTERN, catalogue: deps.catalogue });
    case 'dialogflow': {
      if (config.DIALOGFLOW_PROJECT_ID === undefined) throw missing('DIALOGFLOW_PROJECT_ID', 'dialogflow', 'my-agent-1234');
      const ranker = dialogflowRanker({ projectId: config.DIALOGFLOW_PROJECT_ID, knownIntents: known, ...(deps.dialogflowClient ? { client: deps.dialogflowClient } : {}) });
      return createRemoteEngine({ ...common, ranker });
    }
    case 'llm': {
      let model = deps.chatModel;
      if (model === undefined) {
        if (config.LLM_BASE_URL === undefined) throw missing('LLM_BASE_URL', 'llm', 'http://127.0.0.1:11434/v1');
        if (config.LLM_MODEL === undefined) throw missing('LLM_MODEL', 'llm', 'gpt-4o-mini');
        // Local OpenAI-compatible servers (Ollama, llama.cpp) accept any key; OpenAI itself needs LLM_API_KEY.
        model = new ChatOpenAI({ model: config.LLM_MODEL, apiKey: config.LLM_API_KEY ?? 'not-needed', temperature: 0, configuration: { baseURL: config.LLM_BASE_URL } });
      }
      return createRemoteEngine({ ...common, ranker: llmRanker({ model, intents: deps.intents }) });
    }
    default: {
      const never: never = config.NLU_PROVIDER;
      throw new SwitchboardError('SB_ERR_CONFIG', `Unknown NLU_PROVIDER ${String(never)}`);
    }
  }
}
