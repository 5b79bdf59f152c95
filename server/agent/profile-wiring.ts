import type { Kysely } from 'kysely';
import type { ProfileFieldsConfig } from '../../core/profile-fields.js';
import type { Database } from '../../db/schema.js';
import type { AgentActions } from '../../handoff/agent-actions.js';
import { ProfileStore } from '../../crm/profiles.js';
import { associateCases, caseNumbersOf } from '../../crm/case-contacts.js';
import type { ProfileRouteDeps } from './profile-routes.js';

/**
 * The profile routes' parts. The cases module plugs in here: `caseNumbersOf` (each conversation's
 * case numbers in the contact history) and `associateCases` (POST …/associate with caseNumbers).
 */
export function profileRouteDeps(db: Kysely<Database>, fields: ProfileFieldsConfig, actions: Pick<AgentActions, 'writes'>, now?: () => Date): Pick<ProfileRouteDeps, 'db' | 'profiles' | 'association'> {
  return {
    db,
    profiles: new ProfileStore(db, { fields, caseNumbersOf }),
    association: { db, writes: actions.writes, associateCases, ...(now !== undefined ? { now } : {}) },
  };
}
