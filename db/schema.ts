import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CaseKind, CaseStatus } from '../core/case-status.js';
import type { OutboundStatus } from '../core/channel.js';
import type { UserRole } from '../core/agent-api.js';
import type { ConversationStatus } from '../core/conversation.js';
import type { ConversationEffectKind, ConversationEffectStatus } from '../core/conversation-writes.js';
import type { ChannelName, CustomerChannel } from '../core/message.js';
import type { NotificationCarrier, NotificationErrorReason, NotificationStatus, NotificationTransport } from '../core/notifier.js';
import type { OrderStatus, PaymentStatus } from '../core/order-status.js';
import type { ReturnMethod, ReturnResolution, ReturnStatus } from '../core/return-status.js';
import type { ShippingAddress } from '../core/shipping-address.js';

/** Timestamps come back as Date from both PGlite and node-postgres. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A timestamp the database fills in on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CustomersTable {
  id: string;
  account_id: string;
  name: string;
  /** The primary email; '' for a profile created with a phone only (migration 0017, crm/profiles.ts). */
  email: string;
  /** E.164. */
  phone: string | null;
  plan: string;
  preferred_channel: CustomerChannel;
  vip: boolean;
  created_at: DefaultedTimestamp;
}

/** Every email/phone a profile can be reached at, normalized; `shared` for a household line (migration 0017). */
export interface CustomerContactsTable {
  customer_id: string;
  kind: 'email' | 'phone';
  /** Lower-case email or E.164 phone. */
  value: string;
  shared: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultedTimestamp;
}

/**
 * Values of the configurable profile fields (crm/profile-fields.yaml), migration 0017. A table of its
 * own, as customer_credentials: a shop import rewrites customers and must not drop them.
 */
export interface CustomerProfileFieldsTable {
  customer_id: string;
  values: Json<Record<string, unknown>>;
  updated_at: DefaultedTimestamp;
}

/** A conversation an agent associated with a profile (migration 0017, crm/profile-association.ts). */
export interface ProfileAssociationsTable {
  customer_id: string;
  conversation_id: string;
  associated_by: string;
  created_at: DefaultedTimestamp;
}

/** The audit trail of profile merges (migration 0017, crm/merge.ts). */
export interface ProfileMergesTable {
  id: Generated<string>;
  from_customer_id: string;
  into_customer_id: string;
  merged_by: string;
  from_snapshot: Json<Record<string, unknown>>;
  moved: Json<Record<string, number>>;
  created_at: DefaultedTimestamp;
}

export interface ProductsTable {
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  currency: string;
  return_window_days: number;
  warranty_months: number;
  final_sale: boolean;
}

export interface OrdersTable {
  number: string;
  customer_id: string;
  /** Status columns are unions here and CHECK-constrained in the database (migration 0006-status-checks). */
  status: OrderStatus;
  payment_status: PaymentStatus;
  placed_at: Timestamp;
  total_cents: number;
  currency: string;
  shipping_address: Json<ShippingAddress>;
  updated_at: DefaultedTimestamp;
}

export interface OrderItemsTable {
  order_number: string;
  line: number;
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

export interface OrderStatusEventsTable {
  order_number: string;
  status: OrderStatus;
  at: Timestamp;
}

export interface ShipmentsTable {
  id: string;
  order_number: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string;
  estimated_delivery: Timestamp | null;
  shipped_at: Timestamp | null;
  delivered_at: Timestamp | null;
}

export interface DevicesTable {
  serial: string;
  customer_id: string;
  sku: string;
  nickname: string | null;
  firmware_version: string;
  online: boolean;
  last_seen_at: Timestamp | null;
  registered_at: Timestamp;
}

/** A person as Switchboard knows them; linked to a shop customer once verified or imported. */
export interface ContactsTable {
  id: string;
  customer_id: string | null;
  display_name: string | null;
  created_at: DefaultedTimestamp;
}

/** One identity per channel (Chatwoot's contact inbox): unique per channel + sender id. */
export interface ContactIdentitiesTable {
  channel: string;
  sender_id: string;
  contact_id: string;
  created_at: DefaultedTimestamp;
}

/**
 * A conversation and its projection: the columns from `status` to `waiting_since` are the fold
 * of its event log, written in the same statement as the events (db/event-writer.ts).
 */
export interface ConversationsTable {
  id: string;
  contact_id: string;
  channel: string;
  status: ConversationStatus;
  assignee_id: string | null;
  team: ColumnType<string | null, string | null | undefined, string | null>;
  priority: number;
  issue_type: string | null;
  /** The seq of the last event folded in (-1: none). */
  last_seq: ColumnType<number, number | undefined, number>;
  reply_channel: ColumnType<ChannelName | null, ChannelName | null | undefined, ChannelName | null>;
  reply_identity: ColumnType<string | null, string | null | undefined, string | null>;
  waiting_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** The append-only event log of every conversation; the transcript is its `said` / `user_said` events. */
export interface ConversationEventsTable {
  conversation_id: string;
  seq: number;
  type: string;
  provider_message_id: string | null;
  payload: Json<unknown>;
  created_at: DefaultedTimestamp;
}

/** Development outbox: emails and SMS that would have been sent (verification codes). */
export interface OutboxMessagesTable {
  id: Generated<number>;
  transport: string;
  recipient: string;
  subject: string;
  body: string;
  /** The conversation effect this entry ran (conversation:seq:idx); null for entries sent otherwise. */
  effect_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultedTimestamp;
}

export interface ConversationEffectsTable {
  conversation_id: string;
  seq: number;
  idx: number;
  kind: ConversationEffectKind;
  payload: Json<unknown>;
  status: Generated<ConversationEffectStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  claimed_at: Date | null;
  created_at: DefaultedTimestamp;
  done_at: Date | null;
}

/** The outbound row of an email or SMS a conversation decided (migration 0014, db/outbound-notifications.ts). */
export interface OutboundNotificationsTable {
  conversation_id: string;
  seq: number;
  idx: number;
  transport: NotificationTransport;
  /** Masked: enough for an operator to tell two customers apart, not to write to them. */
  recipient: string;
  status: Generated<NotificationStatus>;
  via: NotificationCarrier | null;
  provider_message_id: string | null;
  attempts: Generated<number>;
  last_error: NotificationErrorReason | null;
  provider_code: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ReturnsTable {
  rma: string;
  order_number: string;
  customer_id: string;
  conversation_id: string | null;
  status: ReturnStatus;
  resolution: ReturnResolution;
  method: ReturnMethod;
  reason: string;
  items: Json<Array<{ line: number; sku: string; quantity: number }>>;
  refund_cents: number;
  restocking_fee_cents: number;
  /** An exchange for another product: what is sent instead (migration 0015-return-exchanges). */
  exchange_sku: string | null;
  /** What the exchange settles: positive the customer pays, negative refunded (then also in refund_cents). */
  exchange_difference_cents: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** A support case: repair/warranty claim, refund request, or a handed-off issue. */
export interface CasesTable {
  id: string;
  customer_id: string | null;
  conversation_id: string | null;
  kind: CaseKind;
  status: CaseStatus;
  summary: string;
  details: Json<Record<string, unknown>>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  /** The template the case was opened from and its version (migration 0018, crm/case-templates.yaml). */
  template_id: string | null;
  template_version: number | null;
  category: string | null;
  priority: ColumnType<'urgent' | 'high' | 'normal' | 'low', 'urgent' | 'high' | 'normal' | 'low' | undefined, 'urgent' | 'high' | 'normal' | 'low'>;
  team: string | null;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The template's field values. */
  fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Keyword search (crm/case-search.ts keeps it). */
  search: ColumnType<string | null, never, never>;
}

/** Everything that happened to a case (migration 0018, crm/case-timeline.ts). */
export interface CaseTimelineTable {
  id: Generated<string>;
  case_id: string;
  at: DefaultedTimestamp;
  /** An agent's id, 'bot' or 'system'. */
  actor: string;
  kind: string;
  text: ColumnType<string, string | undefined, string>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** The profiles a case concerns (migration 0018). */
export interface CaseProfilesTable {
  case_id: string;
  customer_id: string;
  role: 'primary' | 'affected' | 'cc';
  notify: ColumnType<boolean, boolean | undefined, boolean>;
  added_by: string;
  added_at: DefaultedTimestamp;
}

/** Conversations associated with a case; one conversation may be in several (migration 0018, crm/case-contacts.ts). */
export interface CaseContactsTable {
  case_id: string;
  conversation_id: string;
  at: DefaultedTimestamp;
  by: string;
}

/** One recipient of a case broadcast and where its delivery stands (migration 0018, crm/broadcast.ts). */
export interface CaseDeliveriesTable {
  id: string;
  case_id: string;
  broadcast_id: string;
  customer_id: string;
  transport: string;
  recipient: string;
  body: string;
  status: ColumnType<'queued' | 'sent' | 'failed', 'queued' | 'sent' | 'failed' | undefined, 'queued' | 'sent' | 'failed'>;
  reason: string | null;
  via: string | null;
  provider_message_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** A scheduled check-in on a case (migration 0018, crm/case-follow-ups.ts). */
export interface CaseFollowUpsTable {
  id: string;
  case_id: string;
  due_at: Timestamp;
  note: string;
  notify_customer: boolean;
  created_by: string;
  status: ColumnType<'pending' | 'done', 'pending' | 'done' | undefined, 'pending' | 'done'>;
  created_at: DefaultedTimestamp;
}

/** The satisfaction question asked when a case was resolved (migration 0022, crm/case-csat.ts). */
export interface CaseCsatTable {
  id: string;
  case_id: string;
  resolution_entry: string;
  customer_id: string;
  transport: 'email' | 'sms';
  recipient: string;
  token_hash: string;
  status: ColumnType<'queued' | 'sent' | 'failed', 'queued' | 'sent' | 'failed' | undefined, 'queued' | 'sent' | 'failed'>;
  reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  score: number | null;
  comment: string | null;
  commented: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  asked_at: DefaultedTimestamp;
  rated_at: Timestamp | null;
}

/** A follow-up that fell due, shown to its owner in the console until dismissed (migration 0022). */
export interface CaseRemindersTable {
  id: Generated<number>;
  case_id: string;
  follow_up_id: string;
  user_id: string;
  note: string;
  due_at: Timestamp;
  created_at: DefaultedTimestamp;
  dismissed_at: Timestamp | null;
}

export interface KbArticlesTable {
  id: string;
  published_version: number | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface KbArticleVersionsTable {
  article_id: string;
  version: number;
  source: string;
  author: string;
  created_at: DefaultedTimestamp;
}

export interface KbFeedbackTable {
  id: Generated<number>;
  article_id: string;
  conversation_id: string | null;
  helpful: boolean;
  created_at: DefaultedTimestamp;
}

/** Durable fixed-window attempt counters (db/throttles.ts). */
export interface ThrottleCountersTable {
  key: string;
  count: number;
  expires_at: Timestamp;
}

/** What a customer agreed to be told on a channel, append-only (migration 0021, db/consents.ts): the newest row per customer + channel holds. */
export interface CustomerConsentsTable {
  id: Generated<number>;
  customer_id: string;
  channel: string;
  granted: boolean;
  at: Timestamp;
  source: 'conversation' | 'admin';
  conversation_id: string | null;
}

/** An order event the shop reported (migration 0021, db/shop-events.ts): unique per order + the shop's event id. */
export interface ShopEventsTable {
  idempotency_key: string;
  event_id: string;
  order_number: string;
  kind: 'shipped' | 'out_for_delivery' | 'delayed' | 'delivered';
  occurred_at: Timestamp;
  source: 'webhook' | 'import';
  details: Json<Record<string, unknown>>;
  received_at: DefaultedTimestamp;
}

/** The one notice a shop event produced and where it stands (migration 0021, channels/proactive/). */
export interface ProactiveNoticesTable {
  idempotency_key: string;
  customer_id: string;
  channel: string | null;
  recipient: string | null;
  status: 'held' | 'queued' | 'sent' | 'failed' | 'skipped';
  reason: string | null;
  send_after: Timestamp;
  attempts: Generated<number>;
  via: string | null;
  provider_message_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface Database {
  returns: ReturnsTable;
  cases: CasesTable;
  case_timeline: CaseTimelineTable;
  case_profiles: CaseProfilesTable;
  case_contacts: CaseContactsTable;
  case_deliveries: CaseDeliveriesTable;
  case_follow_ups: CaseFollowUpsTable;
  case_csat: CaseCsatTable;
  case_reminders: CaseRemindersTable;
  kb_articles: KbArticlesTable;
  kb_article_versions: KbArticleVersionsTable;
  kb_feedback: KbFeedbackTable;
  customers: CustomersTable;
  products: ProductsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_status_events: OrderStatusEventsTable;
  shipments: ShipmentsTable;
  devices: DevicesTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  conversation_events: ConversationEventsTable;
  outbox_messages: OutboxMessagesTable;
  throttle_counters: ThrottleCountersTable;
  outbound_messages: OutboundMessagesTable;
  inbound_messages: InboundMessagesTable;
  conversation_effects: ConversationEffectsTable;
  outbound_notifications: OutboundNotificationsTable;
  users: UsersTable;
  teams: TeamsTable;
  user_teams: UserTeamsTable;
  customer_credentials: CustomerCredentialsTable;
  customer_security_questions: CustomerSecurityQuestionsTable;
  customer_contacts: CustomerContactsTable;
  customer_profile_fields: CustomerProfileFieldsTable;
  profile_associations: ProfileAssociationsTable;
  profile_merges: ProfileMergesTable;
  customer_consents: CustomerConsentsTable;
  shop_events: ShopEventsTable;
  proactive_notices: ProactiveNoticesTable;
  messaging_windows: MessagingWindowsTable;
  channel_opt_outs: ChannelOptOutsTable;
  incidents: IncidentsTable;
}

/** An operator-declared outage (migration 0023-incidents, db/incidents.ts); families and skus are JSON arrays. */
export interface IncidentsTable {
  id: string;
  title: string;
  customer_message: string;
  families: string;
  skus: string;
  declared_at: DefaultedTimestamp;
  resolved_at: Timestamp | null;
}

/** Whether a number texted STOP (migration 0019-sms-opt-outs, db/channel-opt-outs.ts). */
export interface ChannelOptOutsTable {
  channel: ChannelName;
  address: string;
  opted_out: boolean;
  source: string;
  changed_at: DefaultedTimestamp;
}

/** The customer's last inbound message per channel, business and customer (migration 0020, channels/messaging-window.ts). */
export interface MessagingWindowsTable {
  channel: ChannelName;
  business: string;
  customer: string;
  last_inbound_at: Timestamp;
  updated_at: DefaultedTimestamp;
}

/** A customer's password for the demo shop (migration 0011-customer-passwords, db/customer-credentials.ts). */
export interface CustomerCredentialsTable {
  customer_id: string;
  /** argon2id PHC string; the password itself is never stored. */
  password_hash: string;
  password_changed_at: DefaultedTimestamp;
}

/** People who work conversations (migration 0009-agent-accounts, db/users.ts). */
export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  role: UserRole;
  /** argon2id PHC string; the password itself is never stored. */
  password_hash: string;
  password_changed_at: DefaultedTimestamp;
  created_at: DefaultedTimestamp;
}

export interface TeamsTable {
  name: string;
  created_at: DefaultedTimestamp;
}

export interface UserTeamsTable {
  user_id: string;
  team: string;
}

export type CustomerRow = Selectable<CustomersTable>;
export type ProductRow = Selectable<ProductsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;
export type ShipmentRow = Selectable<ShipmentsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversationEvent = Insertable<ConversationEventsTable>;

/**
 * One message to deliver: the `said` event at (conversation_id, seq), with its delivery state
 * (db/outbound-messages.ts). Never a message that came from the channel.
 */
export interface OutboundMessagesTable {
  conversation_id: string;
  seq: number;
  channel: string;
  /** The customer's id on that channel (the reply's recipient). */
  identity: string;
  author: 'bot' | 'agent';
  /** The stored `OutboundMessage`, degraded to what the channel renders when sent. */
  content: Json<unknown>;
  status: ColumnType<OutboundStatus, OutboundStatus | undefined, OutboundStatus>;
  provider_message_id: string | null;
  /** Send attempts started; also the fencing token of the current claim. */
  attempts: ColumnType<number, number | undefined, number>;
  /** A `DeliveryErrorReason` code, never provider text. */
  last_error: string | null;
  /** No attempt before this (backoff, Retry-After). */
  next_attempt_at: DefaultedTimestamp;
  /** Set while a worker is sending; one left behind means that worker died mid-send. */
  claimed_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export type OutboundMessageRow = Selectable<OutboundMessagesTable>;

/**
 * A verified webhook message waiting for its turn (db/inbound-messages.ts): stored with its
 * processing job in one transaction before the provider is acknowledged, deleted once the turn ran.
 */
export interface InboundMessagesTable {
  channel: ChannelName;
  provider_message_id: string;
  /** The customer's id on the channel: one sender's messages are processed in arrival order. */
  sender_id: string;
  /** Arrival order (bigserial; pg returns it as a string). */
  arrival: Generated<string>;
  /** The normalized `ChannelInbound`, validated again when read. */
  message: Json<unknown>;
  received_at: DefaultedTimestamp;
  /** Processing attempts started; also the fencing token of the current claim. */
  attempts: ColumnType<number, number | undefined, number>;
  /** Set while a worker runs the turn. */
  claimed_at: Timestamp | null;
}

/** The security question an agent may ask (migration 0013-customer-security-questions, db/security-questions.ts). */
export interface CustomerSecurityQuestionsTable {
  customer_id: string;
  question: string;
  /** argon2id PHC string of the normalized answer. */
  answer_hash: string;
  updated_at: DefaultedTimestamp;
}
