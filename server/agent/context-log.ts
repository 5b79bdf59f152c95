import type { BotTried, ContextPackage } from '../../core/agent-context.js';
import { isDeepStrictEqual } from 'node:util';
import type { ConversationEvent, SlotValue } from '../../core/conversation.js';
import { priorityOfRank } from '../../core/handoff-triage.js';
import { degradeToText, type OutboundMessage } from '../../core/message.js';
import { decodePolicyDecision, POLICY_DECISION_SLOT } from '../../core/policy-decision.js';
import { storedAsJsonText } from '../../bots/flow-state.js';
import { OTP_SLOT } from '../../bots/identity-gate.js';
import { applyEvent, GATE_STEPS, INITIAL_STATE } from '../../bots/state.js';
import { readTried, TRIED_SLOT, type TriedStep } from '../../bots/troubleshooting/index.js';
import { ChallengeSchema } from '../../bots/verification.js';
import type { StoredEvent } from '../../db/conversations.js';

/** A message of one conversation, as the context package shows it. */
export interface LogMessage {
  seq: number;
  at: string;
  author: ContextPackage['transcript'][number]['author'];
  text: string;
}

/** What the bot understood of one customer message (entities of a typed code are dropped). */
export interface LogUnderstanding {
  seq: number;
  intent: string | null;
  confidence: number;
  entities: Array<{ type: string; value: string }>;
}

/** A challenge the gate issued: who it was for, as the slot recorded it (never the code: the slot keeps only its hash). */
export interface IssuedCode {
  at: string;
  via: 'email' | 'sms';
  customerId: string | null;
}

/** Everything the context package reads from one conversation's own log. */
export interface ConversationLog {
  messages: LogMessage[];
  understanding: LogUnderstanding[];
  sentiment: ContextPackage['sentiment'];
  handoff: ContextPackage['handoff'];
  tried: Omit<BotTried, 'codesSent'>;
  codes: IssuedCode[];
  /** Seqs of customer messages typed at the code prompt: their digits are a one-time code. */
  codeReplies: ReadonlySet<number>;
}

/** Six digits, maybe grouped ("132 581", "132-581"), are a one-time code when typed at the code prompt. */
const CODE_DIGITS = /\b\d{3}[\s-]?\d{3}\b/g;
const HELP_PATH = /\/help\/([^/?#]+)$/;

/** A customer message typed at the code prompt, with the code masked. */
export function maskCode(text: string): string {
  return text.replace(CODE_DIGITS, '••••••');
}

function articleOf(message: OutboundMessage): { articleId: string; title: string } | null {
  if (message.kind !== 'card' || message.link === undefined) return null;
  let path: string;
  try {
    path = new URL(message.link.url).pathname;
  } catch {
    return null;
  }
  const id = HELP_PATH.exec(path)?.[1];
  if (id === undefined) return null;
  return { articleId: decodeURIComponent(id), title: message.title.replace(/^Source: /, '') };
}

/** Troubleshooting walks: a record that doesn't extend the previous one is a new walk. */
function extendWalks(walks: TriedStep[][], tried: TriedStep[]): void {
  const current = walks.at(-1);
  const continues = current !== undefined && current.length <= tried.length && current.every((s, i) => s.node === tried[i]?.node);
  if (continues) walks[walks.length - 1] = tried;
  else if (tried.length > 0) walks.push(tried);
}

/**
 * Reads one conversation's log in order, folding the state alongside so each customer message
 * is known as typed at the code prompt or not: a typed code never leaves this function.
 */
export function readConversationLog(stored: readonly StoredEvent[]): ConversationLog {
  const log: ConversationLog = {
    messages: [],
    understanding: [],
    sentiment: [],
    handoff: null,
    tried: { flows: [], articles: [], troubleshooting: [], policyDecisions: [] },
    codes: [],
    codeReplies: new Set<number>(),
  };
  const codeReplies = new Set<number>();
  const walks: TriedStep[][] = [];
  let state = INITIAL_STATE;
  let lastCustomer: { seq: number; atCodePrompt: boolean } | null = null;
  let queuedReason: string | null = null;
  let lastChallenge: SlotValue = null;
  for (const { seq, event } of stored) {
    read(event, seq);
    state = applyEvent(state, event);
  }
  log.tried.troubleshooting = walks.flat().map((s) => ({ step: s.text, outcome: s.outcome, answer: s.answer ?? null }));
  log.codeReplies = codeReplies;
  return log;

  function read(event: ConversationEvent, seq: number): void {
    switch (event.type) {
      case 'user_said': {
        const atCodePrompt = state.step === GATE_STEPS.awaitingCode;
        if (atCodePrompt) codeReplies.add(seq);
        lastCustomer = { seq, atCodePrompt };
        const text = event.text || event.payload || '';
        log.messages.push({ seq, at: event.at, author: 'customer', text: atCodePrompt ? maskCode(text) : text });
        return;
      }
      case 'said': {
        log.messages.push({ seq, at: event.at, author: event.author, text: degradeToText(event.message) });
        const article = event.author === 'bot' ? articleOf(event.message) : null;
        if (article !== null && !log.tried.articles.some((a) => a.articleId === article.articleId)) log.tried.articles.push({ ...article, at: event.at });
        return;
      }
      case 'nlu': {
        const of = lastCustomer;
        if (of === null) return;
        log.understanding.push({
          seq: of.seq,
          intent: event.intent,
          confidence: event.confidence,
          entities: of.atCodePrompt ? [] : event.entities.map((e) => ({ type: e.type, value: e.value })),
        });
        log.sentiment.push({ seq: of.seq, at: event.at, score: event.sentiment.score, frustration: event.sentiment.frustration });
        return;
      }
      case 'flow_ended':
        log.tried.flows.push({ flow: event.flow, outcome: event.outcome, at: event.at });
        return;
      case 'slot_set':
        readSlot(event);
        return;
      case 'status_changed':
        if (event.to === 'queued') queuedReason = event.reason;
        return;
      case 'triaged':
        log.handoff = {
          reason: event.reason ?? queuedReason ?? 'unknown',
          detail: event.detail ?? null,
          priority: priorityOfRank(event.priority),
          category: event.category ?? null,
          team: event.team,
          issueType: event.issueType,
          at: event.at,
        };
        return;
      default:
        return;
    }
  }

  function readSlot(event: Extract<ConversationEvent, { type: 'slot_set' }>): void {
    if (event.value === null) return;
    if (event.name === TRIED_SLOT) extendWalks(walks, readTried(event.value));
    else if (event.name === POLICY_DECISION_SLOT) {
      const decision = decodePolicyDecision(event.value);
      if (decision !== null) log.tried.policyDecisions.push({ ...decision, at: event.at });
    } else if (event.name === OTP_SLOT && !isDeepStrictEqual(event.value, lastChallenge)) {
      lastChallenge = event.value;
      const challenge = parseChallenge(event.value);
      if (challenge !== null) log.codes.push({ at: event.at, via: challenge.via, customerId: challenge.customerId });
    }
  }
}

function parseChallenge(raw: SlotValue): { via: 'email' | 'sms'; customerId: string | null } | null {
  return storedAsJsonText(ChallengeSchema).safeParse(raw).data ?? null;
}
