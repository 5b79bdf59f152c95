import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { DEVICE_FAMILIES } from '../knowledge/products.js';
import type { Database, IncidentsTable } from './schema.js';

/** An incident is named `INC-` and 8 hex digits. */
export const IncidentIdSchema = z.string().regex(/^INC-[0-9a-f]{8}$/, 'must look like INC-1a2b3c4d');

/**
 * What an operator declares (`POST /admin/incidents`): the devices it affects, by device family
 * (`router`, `camera`, …) or product SKU, and the sentence customers are told.
 */
export const IncidentDeclarationSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(120),
    /** Shown to affected customers as written, after the bot's own "we know about a problem" line. */
    customerMessage: z.string().trim().min(1).max(500),
    families: z.array(z.enum(DEVICE_FAMILIES)).max(DEVICE_FAMILIES.length).default([]),
    skus: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  })
  .refine((d) => d.families.length + d.skus.length > 0, { message: 'name at least one affected device family or SKU', path: ['families'] });
export type IncidentDeclaration = z.infer<typeof IncidentDeclarationSchema>;

export const IncidentSchema = z
  .object({
    id: IncidentIdSchema,
    title: z.string(),
    customerMessage: z.string(),
    families: z.array(z.enum(DEVICE_FAMILIES)),
    skus: z.array(z.string()),
    declaredAt: z.iso.datetime(),
    /** Null while the incident is open. */
    resolvedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof IncidentSchema>;

/** What a device is, as the troubleshooting flow knows it: its family, and its SKU when the customer named the product. */
export interface AffectedDevice {
  family: string | null;
  sku: string | null;
}

const StoredNamesSchema = z.array(z.string());

function incidentOf(row: Selectable<IncidentsTable>): Incident {
  return IncidentSchema.parse({
    id: row.id,
    title: row.title,
    customerMessage: row.customer_message,
    families: StoredNamesSchema.parse(JSON.parse(row.families)),
    skus: StoredNamesSchema.parse(JSON.parse(row.skus)),
    declaredAt: new Date(row.declared_at).toISOString(),
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at).toISOString(),
  });
}

/**
 * Operator-declared outages (migration 0023). Read from the database on every look-up, so a
 * declaration or resolution counts at once on every instance; few are open at a time.
 */
export class Incidents {
  constructor(private readonly db: Kysely<Database>) {}

  async declare(declaration: IncidentDeclaration, now: Date = new Date()): Promise<Incident> {
    const row = await this.db
      .insertInto('incidents')
      .values({
        id: `INC-${randomBytes(4).toString('hex')}`,
        title: declaration.title,
        customer_message: declaration.customerMessage,
        families: JSON.stringify(declaration.families),
        skus: JSON.stringify(declaration.skus),
        declared_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return incidentOf(row);
  }

  /** Ends an open incident; null when there is no such open incident. */
  async resolve(id: string, now: Date = new Date()): Promise<Incident | null> {
    const row = await this.db.updateTable('incidents').set({ resolved_at: now }).where('id', '=', id).where('resolved_at', 'is', null).returningAll().executeTakeFirst();
    return row === undefined ? null : incidentOf(row);
  }

  async open(): Promise<Incident[]> {
    const rows = await this.db.selectFrom('incidents').selectAll().where('resolved_at', 'is', null).orderBy('declared_at', 'desc').execute();
    return rows.map(incidentOf);
  }

  /** The newest open incident that names the device's SKU or family; null when none does. */
  async affecting(device: AffectedDevice): Promise<Incident | null> {
    if (device.family === null && device.sku === null) return null;
    const open = await this.open();
    return open.find((i) => (device.sku !== null && i.skus.includes(device.sku)) || (device.family !== null && (i.families as string[]).includes(device.family))) ?? null;
  }
}
