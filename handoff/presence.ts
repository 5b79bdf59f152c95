import type { Presence, PresenceStatus } from '../core/agent-api.js';
import type { Offer } from '../core/agent-api.js';

/** What presence is made of, as stored (db/agent-presence.ts). */
export interface PresenceRecord {
  status: PresenceStatus;
  lastSeenAt: Date;
}

/**
 * The presence routing goes by: what the agent chose, except that `online` without a heartbeat
 * for `awayAfterMs` is `away` (auto-away: a console left open on a desk nobody sits at, or
 * closed without signing out). The next heartbeat makes them online again.
 */
export function effectiveStatus(record: PresenceRecord | null, now: Date, awayAfterMs: number): PresenceStatus {
  if (record === null) return 'offline';
  if (record.status === 'online' && now.getTime() - record.lastSeenAt.getTime() > awayAfterMs) return 'away';
  return record.status;
}

export interface AgentPresenceDeps {
  store: {
    set(userId: string, status: PresenceStatus, now: Date): Promise<PresenceRecord>;
    heartbeat(userId: string, now: Date): Promise<PresenceRecord>;
    of(userId: string): Promise<PresenceRecord | null>;
    settings(userId: string): Promise<{ capacity: number; skills: string[] } | null>;
  };
  loadOf(userId: string): Promise<{ held: number; offers: Offer[] }>;
  /** Presence changed in a way that may free an agent for offers: run a routing round. */
  changed(): void;
  awayAfterMs: number;
  now?: () => Date;
}

/** Presence and heartbeats of console users, and the view of it the console shows (`PresenceSchema`). */
export class AgentPresence {
  constructor(private readonly deps: AgentPresenceDeps) {}

  async set(userId: string, status: PresenceStatus): Promise<Presence> {
    const record = await this.deps.store.set(userId, status, this.now());
    if (status === 'online') this.deps.changed();
    return this.view(userId, record);
  }

  async heartbeat(userId: string): Promise<Presence> {
    const before = await this.deps.store.of(userId);
    const now = this.now();
    const record = await this.deps.store.heartbeat(userId, now);
    // Back from auto-away (or first seen): free for offers again.
    if (effectiveStatus(before, now, this.deps.awayAfterMs) !== 'online' && effectiveStatus(record, now, this.deps.awayAfterMs) === 'online') this.deps.changed();
    return this.view(userId, record);
  }

  async of(userId: string): Promise<Presence> {
    return this.view(userId, await this.deps.store.of(userId));
  }

  private async view(userId: string, record: PresenceRecord | null): Promise<Presence> {
    const [settings, load] = await Promise.all([this.deps.store.settings(userId), this.deps.loadOf(userId)]);
    return {
      status: effectiveStatus(record, this.now(), this.deps.awayAfterMs),
      chosen: record?.status ?? 'offline',
      lastSeenAt: record?.lastSeenAt.toISOString() ?? null,
      capacity: settings?.capacity ?? 0,
      skills: settings?.skills ?? [],
      load: load.held + load.offers.length,
      offers: load.offers,
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
