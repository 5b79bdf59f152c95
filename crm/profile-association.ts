import type { Kysely } from 'kysely';
import type { ConversationWrites } from '../core/conversation-writes.js';
import type { ConversationState } from '../core/conversation-state.js';
import { SwitchboardError } from '../core/errors.js';
import type { AssociateResult } from '../core/profile-api.js';
import type { Database } from '../db/schema.js';
import { customersByContact, normalizePhone, type ContactKind } from './contact-lookup.js';

/** Associating a conversation's contact with cases: the cases module's part (crm/case-contacts.ts). */
export type AssociateCases = (db: Kysely<Database>, input: { conversationId: string; caseNumbers: string[]; by: string }) => Promise<unknown>;

export interface ProfileAssociationDeps {
  db: Kysely<Database>;
  writes: ConversationWrites;
  /** Without it a request naming cases is refused (422): nothing is half done. */
  associateCases?: AssociateCases;
  now?: () => Date;
}

/** The profiles a conversation is with: the one an agent chose, and those its shared channel identity belongs to. */
export interface ConversationProfiles {
  associated: { customerId: string; name: string; at: string; byAgentId: string } | null;
  /** Several profiles hold the channel identity (a household line): the agent picks one; empty otherwise. */
  linked: Array<{ customerId: string; name: string }>;
}

/**
 * Associates the conversation with a profile, at an agent's explicit choice (it then appears in
 * the profile's contact history), and records it in the conversation's log (`profile_associated`)
 * on its one write path, so every view of the conversation shows it. It verifies nobody and does
 * not link the contact: the customer still proves who they are before anything personal is done.
 */
export async function associateConversation(
  deps: ProfileAssociationDeps,
  target: { conversationId: string; contactId: string },
  body: { customerId?: string | undefined; caseNumbers?: string[] | undefined },
  agentId: string,
  guard: (state: ConversationState) => void,
): Promise<AssociateResult> {
  const caseNumbers = body.caseNumbers ?? [];
  if (caseNumbers.length > 0 && deps.associateCases === undefined) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'Cases cannot be associated yet', [{ path: 'body.caseNumbers', message: 'case association is not available on this server' }], { status: 422 });
  }
  const customer =
    body.customerId === undefined ? null : ((await deps.db.selectFrom('customers').select(['id as customerId', 'name']).where('id', '=', body.customerId).executeTakeFirst()) ?? null);
  if (body.customerId !== undefined && customer === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile', [{ path: 'body.customerId', message: 'no profile has this Customer ID' }]);
  // The cases first: the cases module checks every number and associates all or none.
  if (caseNumbers.length > 0) await deps.associateCases!(deps.db, { conversationId: target.conversationId, caseNumbers, by: agentId });
  let seqs: number[] = [];
  if (customer !== null) {
    seqs = await deps.writes.withConversation(target.conversationId, async ({ state }) => {
      guard(state);
      const at = (deps.now?.() ?? new Date()).toISOString();
      // Not contacts.customer_id: that link is for a proven identity (see migration 0017).
      await deps.db
        .insertInto('profile_associations')
        .values({ customer_id: customer.customerId, conversation_id: target.conversationId, associated_by: agentId, created_at: at })
        .onConflict((oc) => oc.columns(['customer_id', 'conversation_id']).doUpdateSet({ associated_by: agentId, created_at: at }))
        .execute();
      return { events: [{ at, type: 'profile_associated', customerId: customer.customerId, byAgentId: agentId }], effects: [], result: [state.version] };
    });
  }
  const said = [
    ...(customer !== null ? [`${customer.name} (${customer.customerId})`] : []),
    ...(caseNumbers.length > 0 ? [`case${caseNumbers.length > 1 ? 's' : ''} ${caseNumbers.join(', ')}`] : []),
  ];
  return { conversationId: target.conversationId, customer, cases: caseNumbers, confirmation: `This conversation is associated with ${said.join(' and ')}.`, seqs };
}

/** Reads who the conversation is with (docs/profiles-and-cases.md, "Shared identities"). */
export async function conversationProfiles(
  db: Kysely<Database>,
  header: { id: string; contactId: string; channel: string },
  events: ReadonlyArray<{ event: { type: string } & Record<string, unknown> }>,
): Promise<ConversationProfiles> {
  const chosen = [...events].reverse().find((e) => e.event.type === 'profile_associated')?.event as { customerId: string; byAgentId: string; at: string } | undefined;
  const associated = chosen === undefined ? undefined : await db.selectFrom('customers').select(['id', 'name']).where('id', '=', chosen.customerId).executeTakeFirst();
  const identity = await db.selectFrom('contact_identities').select('sender_id').where('contact_id', '=', header.contactId).where('channel', '=', header.channel).executeTakeFirst();
  const contact = identity === undefined ? null : contactOf(header.channel, identity.sender_id);
  const holders = contact === null ? [] : await customersByContact(db, contact.kind, contact.value);
  return {
    associated: associated === undefined || chosen === undefined ? null : { customerId: associated.id, name: associated.name, at: chosen.at, byAgentId: chosen.byAgentId },
    linked: holders.length > 1 ? holders.map((h) => ({ customerId: h.customerId, name: h.name })) : [],
  };
}

/** The email or phone a channel's sender id is, if it is one (an SMS/WhatsApp number, an email sender). */
function contactOf(channel: string, senderId: string): { kind: ContactKind; value: string } | null {
  if (channel === 'email') return { kind: 'email', value: senderId };
  const number = senderId.replace(/^whatsapp:/, '');
  return number.startsWith('+') && normalizePhone(number) !== null ? { kind: 'phone', value: number } : null;
}
