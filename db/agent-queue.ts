import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { QueueEntry, QueueQuery, SlaStatus } from '../core/agent-api.js';
import type { ConversationStatus } from '../core/conversation.js';
import { IssueCategorySchema, priorityOfRank, priorityRank, SlaKindSchema } from '../core/handoff-triage.js';
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
const QUEUE_LIMIT = 500;
/** A target is at risk in the last fifth of its time. */
const AT_RISK_SHARE = 0.2;

/** Sort keys of the queue and their natural direction. */
const SORTS: Record<QueueQuery['sort'], { expression: RawBuilder<unknown>; natural: 'asc' | 'desc' }> = {
  priority: { expression: sql`priority`, natural: 'desc' },
  waiting: { expression: sql`waiting_since`, natural: 'asc' },
  // The next deadline: the first response while nobody answered, then the resolution.
  sla: { expression: sql`case when first_response_at is null then least(first_response_due, resolution_due) else resolution_due end`, natural: 'asc' },
  channel: { expression: sql`channel`, natural: 'asc' },
  category: { expression: sql`category`, natural: 'asc' },
  customer: { expression: sql`customer_id`, natural: 'asc' },
};

/**
 * The agent console's reads: the queue of handed-off conversations and one conversation's
 * header, from the `conversations` projection (never the snapshot cache), with who the customer
 * is, why the bot handed off, how the handoff policy triaged it and where it stands against its
 * SLA (from the latest `triaged` event and the events after it).
 */
export class AgentQueueReads {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
    /** The next-response deadline of a message (`HandoffPolicy.nextResponseDue`); without it none is shown. */
    private readonly nextResponseDue?: (team: string | null, at: Date) => Date,
  ) {}

  /** Queued and assigned conversations in scope that pass `query`, sorted as it says (default: most urgent, then longest waiting). */
  async queue(scope: TeamScope, query: Partial<QueueQuery> = {}): Promise<ConversationHeader[]> {
    const now = this.now();
    const where: RawBuilder<unknown>[] = [sql`c.status in (${sql.join(query.status ?? (['queued', 'assigned'] satisfies ConversationStatus[]))})`];
    if (scope.kind === 'teams') {
      where.push(scope.teams.length > 0 ? sql`(c.team is null or c.team in (${sql.join([...scope.teams])}))` : sql`c.team is null`);
    }
    if (query.priority !== undefined) where.push(sql`c.priority in (${sql.join(query.priority.map(priorityRank))})`);
    if (query.channel !== undefined) where.push(sql`c.channel in (${sql.join(query.channel)})`);
    if (query.issueType !== undefined) where.push(sql`c.issue_type in (${sql.join(query.issueType)})`);
    if (query.customerId !== undefined) where.push(sql`k.customer_id = ${query.customerId}`);
    if (query.waitingMinutes !== undefined) where.push(sql`c.waiting_since <= ${new Date(now.getTime() - query.waitingMinutes * 60_000).toISOString()}::timestamptz`);
    where.push(notSnoozed(now));
    const outer: RawBuilder<unknown>[] = [];
    if (query.category !== undefined) outer.push(sql`category in (${sql.join(query.category)})`);
    if (query.sla !== undefined) outer.push(sql`sla_status in (${sql.join(query.sla)})`);
    const sort = SORTS[query.sort ?? 'priority'];
    const direction = (query.order ?? sort.natural) === 'asc' ? sql`asc` : sql`desc`;
    const rows = await sql<HeaderRow>`
      select * from (${this.headers(sql.join(where, sql` and `), now)}) h
      ${outer.length > 0 ? sql`where ${sql.join(outer, sql` and `)}` : sql``}
      order by ${sort.expression} ${direction} nulls last, priority desc, waiting_since asc nulls last, created_at asc
      limit ${QUEUE_LIMIT}`.execute(this.db);
    return rows.rows.map((row) => toHeader(row, this.nextResponseDue));
  }

  async header(conversationId: string): Promise<ConversationHeader | null> {
    const rows = await sql<HeaderRow>`select * from (${this.headers(sql`c.id = ${conversationId}`, this.now())}) h`.execute(this.db);
    const row = rows.rows[0];
    return row === undefined ? null : toHeader(row, this.nextResponseDue);
  }

  /** Whether the shop customer is a VIP (the handoff policy raises their priority). */
  async isVip(customerId: string): Promise<boolean> {
    const row = await this.db.selectFrom('customers').select('vip').where('id', '=', customerId).executeTakeFirst();
    return row?.vip === true;
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

  /**
   * One row per conversation passing `where`: its projection, who the customer is, why it was
   * handed off, and its latest triage with the SLA measured at `now`.
   */
  private headers(where: RawBuilder<unknown>, now: Date): RawBuilder<HeaderRow> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const share = sql.lit(AT_RISK_SHARE);
    return sql<HeaderRow>`
      select q.*,
        case
          when q.first_response_due is null then null
          when q.breached is not null
            or (q.first_response_at is null and q.first_response_due <= ${at})
            or q.first_response_at > q.first_response_due
            or q.resolution_due <= ${at} then 'breached'
          when (q.first_response_at is null and q.first_response_due - (q.first_response_due - q.handed_off_at) * ${share} <= ${at})
            or q.resolution_due - (q.resolution_due - q.handed_off_at) * ${share} <= ${at} then 'at_risk'
          else 'on_track'
        end as sla_status
      from (
        select c.id, c.channel, c.status, c.team, c.priority, c.issue_type, c.assignee_id, c.waiting_since, c.last_seq, c.contact_id, c.created_at,
          k.customer_id, k.display_name, cu.name as customer_name,
          -- Why it waits for a person: the reason of the latest hand-off in its log.
          (select e.payload->>'reason' from conversation_events e
            where e.conversation_id = c.id and e.type = 'status_changed' and e.payload->>'to' = 'queued'
            order by e.seq desc limit 1) as reason,
          t.seq as handoff_seq,
          t.payload->>'category' as category,
          t.payload->>'detail' as detail,
          t.payload->'skills' as skills,
          (t.payload->>'at')::timestamptz as handed_off_at,
          (t.payload->'sla'->>'firstResponseDueAt')::timestamptz as first_response_due,
          (t.payload->'sla'->>'resolutionDueAt')::timestamptz as resolution_due,
          (select min((e.payload->>'at')::timestamptz) from conversation_events e
            where e.conversation_id = c.id and e.type = 'said' and e.payload->>'author' = 'agent' and e.seq > t.seq) as first_response_at,
          -- While a person holds it: the first customer message since the latest agent answer (its next-response deadline, handoff/next-response.ts).
          (select min((u.payload->>'at')::timestamptz) from conversation_events u
            where u.conversation_id = c.id and u.type = 'user_said' and c.status = 'assigned'
              and u.seq > (select max(a.seq) from conversation_events a
                where a.conversation_id = c.id and a.type = 'said' and a.payload->>'author' = 'agent' and a.seq > t.seq)) as awaiting_reply_since,
          (select string_agg(distinct e.payload->>'kind', ',') from conversation_events e
            where e.conversation_id = c.id and e.type = 'sla_breached' and (e.payload->>'handoffSeq')::int = t.seq) as breached
        from conversations c
        join contacts k on k.id = c.contact_id
        left join customers cu on cu.id = k.customer_id
        -- The latest triage: a conversation handed off again is measured from its new handoff.
        left join lateral (select e.seq, e.payload from conversation_events e
          where e.conversation_id = c.id and e.type = 'triaged' order by e.seq desc limit 1) t on true
        where ${where}
      ) q`;
  }
}

/**
 * Not set aside (handoff/snooze.ts): its latest `snoozed` event has passed, or the customer wrote
 * or the conversation was moved since. Decided at query time, so a snooze ends on time on every
 * instance and across restarts without a timer.
 */
function notSnoozed(now: Date): RawBuilder<unknown> {
  return sql`not exists (
    select 1 from conversation_events s
    where s.conversation_id = c.id and s.type = 'snoozed' and (s.payload->>'until')::timestamptz > ${now.toISOString()}::timestamptz
      and s.seq = (select max(l.seq) from conversation_events l where l.conversation_id = c.id and l.type = 'snoozed')
      and not exists (select 1 from conversation_events u where u.conversation_id = c.id and u.seq > s.seq
        and u.type in ('user_said', 'status_changed', 'assignee_changed', 'transferred')))`;
}

interface HeaderRow {
  id: string;
  channel: string;
  status: ConversationStatus;
  team: string | null;
  priority: number;
  issue_type: string | null;
  assignee_id: string | null;
  waiting_since: Date | string | null;
  last_seq: number;
  contact_id: string;
  customer_id: string | null;
  display_name: string | null;
  customer_name: string | null;
  reason: string | null;
  category: string | null;
  detail: string | null;
  skills: unknown;
  handed_off_at: Date | string | null;
  first_response_due: Date | string | null;
  resolution_due: Date | string | null;
  first_response_at: Date | string | null;
  awaiting_reply_since: Date | string | null;
  breached: string | null;
  sla_status: SlaStatus | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toHeader(row: HeaderRow, nextResponseDue?: (team: string | null, at: Date) => Date): ConversationHeader {
  const firstResponseDueAt = iso(row.first_response_due);
  const nextResponseDueAt = row.awaiting_reply_since !== null && nextResponseDue !== undefined ? nextResponseDue(row.team, new Date(row.awaiting_reply_since)).toISOString() : null;
  const resolutionDueAt = iso(row.resolution_due);
  return {
    id: row.id,
    channel: ChannelNameSchema.parse(row.channel),
    status: row.status,
    // A linked contact proved who they are; a channel's display name is what the channel says; else nobody known.
    customer: row.customer_name ?? row.display_name ?? VISITOR,
    reason: row.reason ?? 'unknown',
    priority: row.priority,
    priorityLevel: priorityOfRank(row.priority),
    issueType: row.issue_type,
    team: row.team,
    assigneeId: row.assignee_id,
    waitingSince: iso(row.waiting_since),
    lastSeq: row.last_seq,
    category: IssueCategorySchema.safeParse(row.category).data ?? null,
    detail: row.detail,
    skills: Array.isArray(row.skills) ? row.skills.filter((s): s is string => typeof s === 'string') : [],
    handedOffAt: iso(row.handed_off_at),
    sla:
      firstResponseDueAt !== null && resolutionDueAt !== null && row.sla_status !== null
        ? {
            status: row.sla_status,
            firstResponseDueAt,
            firstResponseAt: iso(row.first_response_at),
            resolutionDueAt,
            nextResponseDueAt,
            breached: (row.breached ?? '').split(',').flatMap((k) => SlaKindSchema.safeParse(k).data ?? []),
          }
        : null,
    contactId: row.contact_id,
    customerId: row.customer_id,
  };
}
