import { sql, type Kysely } from 'kysely';
import type { QueueEntry } from '../core/agent-api.js';
import type { ConversationStatus } from '../core/conversation.js';
import { ChannelNameSchema } from '../core/message.js';
import type { Database } from './schema.js';

/** Which teams' conversations a query covers: every team, or these and the unrouted ones (team null). */
export type TeamScope = { kind: 'all' } | { kind: 'teams'; teams: readonly string[] };

/** A conversation as the console's access rules and views need it, read from its projection. */
export interface ConversationHeader extends Omit<QueueEntry, 'assigneeName'> {
  contactId: string;
  /** The shop customer the contact proved to be (linked on verification), if any. */
  customerId: string | null;
}

const VISITOR = 'Visitor';

/**
 * The agent console's reads: the queue of handed-off conversations and one conversation's
 * header, from the `conversations` projection (never the snapshot cache), with who the customer
 * is and why the bot handed off.
 */
export class AgentQueueReads {
  constructor(private readonly db: Kysely<Database>) {}

  /** Queued and assigned conversations in scope, most urgent first, then longest waiting. */
  async queue(scope: TeamScope): Promise<ConversationHeader[]> {
    let query = this.base().where('c.status', 'in', ['queued', 'assigned'] satisfies ConversationStatus[]);
    if (scope.kind === 'teams') {
      const teams = [...scope.teams];
      query = query.where((eb) => (teams.length > 0 ? eb.or([eb('c.team', 'is', null), eb('c.team', 'in', teams)]) : eb('c.team', 'is', null)));
    }
    const rows = await query
      .orderBy('c.priority', 'desc')
      .orderBy(sql`c.waiting_since asc nulls last`)
      .orderBy('c.created_at')
      .limit(500)
      .execute();
    return rows.map(toHeader);
  }

  async header(conversationId: string): Promise<ConversationHeader | null> {
    const row = await this.base().where('c.id', '=', conversationId).executeTakeFirst();
    return row === undefined ? null : toHeader(row);
  }

  /** The verified customer's name and orders, for a conversation whose verification holds. */
  async customerSummary(customerId: string): Promise<{ id: string; name: string; orders: Array<{ number: string; status: string; placedAt: string }> } | null> {
    const customer = await this.db.selectFrom('customers').select(['id', 'name']).where('id', '=', customerId).executeTakeFirst();
    if (customer === undefined) return null;
    const orders = await this.db
      .selectFrom('orders')
      .select(['number', 'status', 'placed_at'])
      .where('customer_id', '=', customerId)
      .orderBy('placed_at', 'desc')
      .limit(20)
      .execute();
    return { id: customer.id, name: customer.name, orders: orders.map((o) => ({ number: o.number, status: o.status, placedAt: new Date(o.placed_at).toISOString() })) };
  }

  private base() {
    return this.db
      .selectFrom('conversations as c')
      .innerJoin('contacts as k', 'k.id', 'c.contact_id')
      .leftJoin('customers as cu', 'cu.id', 'k.customer_id')
      .select([
        'c.id',
        'c.channel',
        'c.status',
        'c.team',
        'c.priority',
        'c.issue_type',
        'c.assignee_id',
        'c.waiting_since',
        'c.last_seq',
        'c.contact_id',
        'k.customer_id',
        'k.display_name',
        'cu.name as customer_name',
      ])
      // Why it waits for a person: the reason of the latest hand-off in its log.
      .select(
        sql<string | null>`(select e.payload->>'reason' from conversation_events e
          where e.conversation_id = c.id and e.type = 'status_changed' and e.payload->>'to' = 'queued'
          order by e.seq desc limit 1)`.as('reason'),
      );
  }
}

interface HeaderRow {
  id: string;
  channel: string;
  status: ConversationStatus;
  team: string | null;
  priority: number;
  issue_type: string | null;
  assignee_id: string | null;
  waiting_since: Date | null;
  last_seq: number;
  contact_id: string;
  customer_id: string | null;
  display_name: string | null;
  customer_name: string | null;
  reason: string | null;
}

function toHeader(row: HeaderRow): ConversationHeader {
  return {
    id: row.id,
    channel: ChannelNameSchema.parse(row.channel),
    status: row.status,
    // A linked contact proved who they are; a channel's display name is what the channel says; else nobody known.
    customer: row.customer_name ?? row.display_name ?? VISITOR,
    reason: row.reason ?? 'unknown',
    priority: row.priority,
    issueType: row.issue_type,
    team: row.team,
    assigneeId: row.assignee_id,
    waitingSince: row.waiting_since === null ? null : new Date(row.waiting_since).toISOString(),
    lastSeq: row.last_seq,
    contactId: row.contact_id,
    customerId: row.customer_id,
  };
}
