import type { Push, SentMessage, TranscriptEntry } from './scale-customer.js';

/** What one conversation's record says about ordering, loss and duplication (docs/scaling.md). */
export interface ConversationAudit {
  orderingViolations: number;
  /** Acknowledged messages missing from the transcript, or whose acknowledged replies are. */
  lost: number;
  /** Customer messages stored more than once, or a turn's replies stored more than once. */
  duplicated: number;
  /** The same reply pushed on the widget socket more than once (the widget shows it once, by seq). */
  repeatedPushes: number;
  /** Human-readable findings, for the first few conversations that have any. */
  findings: string[];
}

/**
 * Audits one conversation: the customer sent `messages` one after another (each retried with its
 * own id until acknowledged), the server's transcript is `transcript`, the socket pushed `pushed`.
 *
 * - Ordering: transcript seqs strictly increase; customer messages appear in the order they were
 *   sent; each acknowledged message's `userSeq` is its transcript entry and greater than the one
 *   before; every acknowledged reply lies after its message and before the next customer message;
 *   on each socket connection pushed seqs strictly increase.
 * - Lost: an acknowledged message not in the transcript, an acknowledged reply not in it, or an
 *   acknowledged message followed by no reply at all (every line of the script is answered).
 * - Duplicated: a message text stored twice (texts are distinct within a conversation), or more
 *   replies stored after a message than its acknowledgement listed.
 */
export function auditConversation(messages: readonly SentMessage[], transcript: readonly TranscriptEntry[], pushed: readonly Push[]): ConversationAudit {
  const audit: ConversationAudit = { orderingViolations: 0, lost: 0, duplicated: 0, repeatedPushes: 0, findings: [] };
  const violation = (finding: string): void => {
    audit.orderingViolations += 1;
    audit.findings.push(`ordering: ${finding}`);
  };
  for (let i = 1; i < transcript.length; i++) {
    if (transcript[i]!.seq <= transcript[i - 1]!.seq) violation(`transcript seq ${transcript[i]!.seq} after ${transcript[i - 1]!.seq}`);
  }
  const bySeq = new Map(transcript.map((e, i) => [e.seq, i]));
  const customerAt = transcript.flatMap((e, i) => (e.author === 'customer' ? [i] : []));
  const textOf = (i: number): string => {
    const message = transcript[i]!.message;
    return typeof message.text === 'string' ? message.text : '';
  };
  /** Index (in the transcript) of the next customer entry after index i, or the end. */
  const nextCustomer = (i: number): number => customerAt.find((c) => c > i) ?? transcript.length;

  let lastSentIndex = -1;
  let lastUserSeq = -Infinity;
  for (const [sentIndex, sent] of messages.entries()) {
    const stored = customerAt.filter((i) => textOf(i) === sent.text);
    if (stored.length > 1) {
      audit.duplicated += stored.length - 1;
      audit.findings.push(`duplicated: "${sent.text}" stored ${stored.length} times`);
    }
    const ack = sent.ack;
    if (stored.length === 0) {
      if (ack !== undefined) {
        audit.lost += 1;
        audit.findings.push(`lost: acknowledged "${sent.text}" is not in the transcript`);
      }
      continue;
    }
    const at = stored[0]!;
    if (sentIndex < lastSentIndex) violation(`"${sent.text}" stored before an earlier message`);
    lastSentIndex = sentIndex;
    if (ack === undefined) continue;
    const end = nextCustomer(at);
    const repliesStored = end - at - 1;
    if (ack.userSeq !== undefined) {
      if (ack.userSeq !== transcript[at]!.seq) violation(`"${sent.text}" acknowledged as seq ${ack.userSeq}, stored as ${transcript[at]!.seq}`);
      if (ack.userSeq <= lastUserSeq) violation(`"${sent.text}" acknowledged as seq ${ack.userSeq} after ${lastUserSeq}`);
      lastUserSeq = ack.userSeq;
    }
    for (const seq of ack.replySeqs) {
      const index = bySeq.get(seq);
      if (index === undefined || transcript[index]!.author === 'customer') {
        audit.lost += 1;
        audit.findings.push(`lost: reply seq ${seq} to "${sent.text}" is not in the transcript`);
      } else if (index <= at || index >= end) violation(`reply seq ${seq} to "${sent.text}" is outside its turn`);
    }
    const answeredWithNothing = !ack.duplicate && ack.replySeqs.length === 0;
    if (repliesStored === 0 && !answeredWithNothing) {
      audit.lost += 1;
      audit.findings.push(`lost: "${sent.text}" was acknowledged but never answered`);
    }
    if (!ack.duplicate && repliesStored > ack.replySeqs.length) {
      audit.duplicated += repliesStored - ack.replySeqs.length;
      audit.findings.push(`duplicated: ${repliesStored} replies stored after "${sent.text}", ${ack.replySeqs.length} acknowledged`);
    }
  }

  const lastOnConnection = new Map<number, number>();
  const seen = new Set<number>();
  for (const push of pushed) {
    const last = lastOnConnection.get(push.connection);
    if (last !== undefined && push.seq <= last) violation(`socket pushed seq ${push.seq} after ${last}`);
    lastOnConnection.set(push.connection, push.seq);
    if (seen.has(push.seq)) audit.repeatedPushes += 1;
    seen.add(push.seq);
  }
  return audit;
}
