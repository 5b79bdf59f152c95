import { z } from 'zod';
import { ConversationStatusSchema } from '../core/conversation.js';
import { ReplyIdentitySchema, type ConversationState } from '../core/conversation-state.js';
import type { ConversationRow } from './schema.js';

/**
 * What the `conversations` row says about a conversation: the part of its folded state that
 * queues, consoles and jobs query without replaying the log. Written only with the events it
 * folds (db/event-writer.ts), so it never disagrees with the log.
 */
export const ConversationProjectionSchema = z.object({
  status: ConversationStatusSchema,
  assigneeId: z.string().nullable(),
  team: z.string().nullable(),
  priority: z.number().int(),
  issueType: z.string().nullable(),
  /** The seq of the last event folded in (-1: none). */
  lastSeq: z.number().int().min(-1),
  replyTo: ReplyIdentitySchema.nullable(),
  /** ISO time, as in the state. */
  waitingSince: z.string().nullable(),
});
export type ConversationProjection = z.infer<typeof ConversationProjectionSchema>;

/** The projection of a folded state (`state.version` events). */
export function projectionOf(state: ConversationState): ConversationProjection {
  return {
    status: state.status,
    assigneeId: state.assigneeId,
    team: state.team,
    priority: state.priority,
    issueType: state.issueType,
    lastSeq: state.version - 1,
    replyTo: state.replyTo,
    waitingSince: state.waitingSince,
  };
}

/** Reads the projection off a row, validated: a status column outside the union is an error, not a cast. */
export function projectionFromRow(row: ConversationRow): ConversationProjection {
  return ConversationProjectionSchema.parse({
    status: row.status,
    assigneeId: row.assignee_id,
    team: row.team,
    priority: row.priority,
    issueType: row.issue_type,
    lastSeq: row.last_seq,
    replyTo: row.reply_channel !== null && row.reply_identity !== null ? { channel: row.reply_channel, senderId: row.reply_identity } : null,
    waitingSince: row.waiting_since?.toISOString() ?? null,
  });
}
