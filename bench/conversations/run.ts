import type { ConversationHarness, TurnResult } from '../../test/conversation.js';
import { classify, type ConversationRun, type Verdict } from './classify.js';
import type { CorpusConversation, CorpusTurn } from './corpus.js';

/** What the customer types when the code they were told about never came. */
export const NO_CODE_TEXT = "I didn't get any code";

export interface RunResult {
  conversation: CorpusConversation;
  run: ConversationRun;
  verdict: Verdict;
  /** Customer and bot lines, for a reviewer reading a failure. */
  transcript: string[];
}

/**
 * Plays one corpus conversation through the harness on a fresh shop: each turn in order, the
 * codes read from the outbox, buttons pressed by label; then classifies what it came to.
 */
export async function runCorpusConversation(harness: ConversationHarness, conversation: CorpusConversation): Promise<RunResult> {
  await harness.resetShop();
  const chat = await harness.conversation({ channel: conversation.channel, ...(conversation.locale !== undefined ? { locale: conversation.locale } : {}) });
  const repliesPerTurn: string[] = [];
  const transcript: string[] = [];
  let interrupted: string | null = null;
  for (const [index, turn] of conversation.turns.entries()) {
    try {
      const { typed, result } = await play(turn, chat);
      transcript.push(`customer: ${typed}`, ...result.shown.map((s) => `bot: ${s.replace(/\n/g, ' / ')}`));
      repliesPerTurn.push(result.text);
    } catch (error) {
      interrupted = `turn ${index + 1}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      transcript.push(`(stopped: ${interrupted})`);
      break;
    }
  }
  const run: ConversationRun = { outcome: await chat.outcome(), repliesPerTurn, interrupted };
  return { conversation, run, verdict: classify(conversation, run), transcript };
}

async function play(turn: CorpusTurn, chat: Awaited<ReturnType<ConversationHarness['conversation']>>): Promise<{ typed: string; result: TurnResult }> {
  if (typeof turn === 'string') return { typed: turn, result: await chat.send(turn) };
  if ('press' in turn) {
    const result = await chat.press(new RegExp(turn.press, 'i'));
    return { typed: `[pressed /${turn.press}/]`, result };
  }
  if ('choose' in turn) {
    const result = await chat.choose(new RegExp(turn.choose, 'i'));
    return { typed: `[chose /${turn.choose}/]`, result };
  }
  const code = await chat.takeCode(turn.code);
  const typed = code === null ? NO_CODE_TEXT : withCode(turn.say ?? '{code}', code);
  return { typed, result: await chat.send(typed) };
}

/** Fills the code into what the customer types, written the way `say` asks. */
export function withCode(say: string, code: string): string {
  return say
    .replaceAll('{code:spaced}', `${code.slice(0, 3)} ${code.slice(3)}`)
    .replaceAll('{code:dashed}', `${code.slice(0, 3)}-${code.slice(3)}`)
    .replaceAll('{code}', code);
}
