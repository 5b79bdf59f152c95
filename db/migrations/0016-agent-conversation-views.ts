import type { Kysely } from 'kysely';

// Unread counts (docs/agents.md, "Queue and my conversations"): how far each agent has read each
// conversation. A row per agent × conversation they opened, in the database so every instance
// counts the same; the count itself is read from the event log at query time (db/agent-views.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_conversation_views')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    /** The last event seq the agent had on screen: customer messages after it are unread. */
    .addColumn('viewed_seq', 'integer', (c) => c.notNull())
    .addColumn('viewed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_conversation_views_pk', ['user_id', 'conversation_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_conversation_views').ifExists().execute();
}
