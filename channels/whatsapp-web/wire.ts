/**
 * The parts of whatsapp-web.js's `Client` and `Message` the connector uses, as the library
 * declares them (node_modules/whatsapp-web.js/index.d.ts). Typed structurally so the connector is
 * written against what it reads; the production wiring passes the library's own `Client`.
 */
export interface WhatsAppWebMessage {
  id: { _serialized: string };
  /** The chat it came from: `<number>@c.us`, `<id>@lid`, `<id>@g.us` (a group), `status@broadcast`. */
  from: string;
  body: string;
  fromMe: boolean;
  /** `chat`, `image`, `location`, … (MessageTypes). */
  type: string;
  timestamp: number;
  hasMedia: boolean;
  isStatus: boolean;
  location?: { latitude: number | string; longitude: number | string; name?: string; address?: string } | undefined;
  getChat(): Promise<{ isGroup: boolean }>;
}

export interface WhatsAppWebSent {
  id: { _serialized: string };
}

/** whatsapp-web.js `MessageAck`: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export type WhatsAppWebAck = number;

export interface WhatsAppWebClient {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'authenticated', listener: () => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (message: WhatsAppWebMessage) => void): unknown;
  on(event: 'message_ack', listener: (message: WhatsAppWebSent, ack: WhatsAppWebAck) => void): unknown;
  sendMessage(chatId: string, content: string): Promise<WhatsAppWebSent>;
  /** The phone number behind a privacy id (`@lid`), when WhatsApp tells. */
  getContactLidAndPhone(userIds: string[]): Promise<Array<{ lid: string; pn: string }>>;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
}
