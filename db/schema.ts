import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps come back as Date from both PGlite and node-postgres. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A timestamp the database fills in on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CustomersTable {
  id: string;
  account_id: string;
  name: string;
  email: string;
  /** E.164. */
  phone: string | null;
  plan: string;
  preferred_channel: string;
  vip: boolean;
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
  status: string;
  payment_status: string;
  placed_at: Timestamp;
  total_cents: number;
  currency: string;
  shipping_address: Json<ShippingAddress>;
  updated_at: DefaultedTimestamp;
}

export interface ShippingAddress {
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postalCode: string;
  country: string;
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
  status: string;
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

export interface ConversationsTable {
  id: string;
  contact_id: string;
  channel: string;
  status: string;
  assignee_id: string | null;
  priority: number;
  issue_type: string | null;
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
  created_at: DefaultedTimestamp;
}

export interface ReturnsTable {
  rma: string;
  order_number: string;
  customer_id: string;
  conversation_id: string | null;
  /** requested | label_issued | in_transit | received | refunded | exchanged | rejected */
  status: string;
  /** refund | exchange */
  resolution: string;
  /** label | drop_off */
  method: string;
  reason: string;
  items: Json<Array<{ line: number; sku: string; quantity: number }>>;
  refund_cents: number;
  restocking_fee_cents: number;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** A support case: repair/warranty claim, refund request, or a handed-off issue. */
export interface CasesTable {
  id: string;
  customer_id: string | null;
  conversation_id: string | null;
  kind: string;
  /** open | pending | closed */
  status: string;
  summary: string;
  details: Json<Record<string, unknown>>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
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

export interface Database {
  returns: ReturnsTable;
  cases: CasesTable;
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
}

export type CustomerRow = Selectable<CustomersTable>;
export type ProductRow = Selectable<ProductsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;
export type ShipmentRow = Selectable<ShipmentsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversationEvent = Insertable<ConversationEventsTable>;
