import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-shop-and-conversations.js';
import * as m0002 from './0002-self-service.js';
import * as m0003 from './0003-throttle-counters.js';
import * as m0004 from './0004-outbound-messages.js';
import * as m0005 from './0005-conversation-projection.js';
import * as m0006 from './0006-status-checks.js';
import * as m0007 from './0007-inbound-messages.js';
import * as m0008 from './0008-conversation-effects.js';
import * as m0009 from './0009-agent-accounts.js';
import * as m0011 from './0011-customer-passwords.js';
import * as m0012 from './0012-agent-routing.js';
import * as m0013 from './0013-customer-security-questions.js';
import * as m0014 from './0014-outbound-notifications.js';
import * as m0015 from './0015-return-exchanges.js';
import * as m0016 from './0016-agent-conversation-views.js';
import * as m0017 from './0017-customer-profiles.js';
import * as m0018 from './0018-case-management.js';
import * as m0019 from './0019-sms-opt-outs.js';
import * as m0020 from './0020-messaging-windows.js';
import * as m0021 from './0021-consents-and-shop-events.js';
import * as m0022 from './0022-case-csat-and-reminders.js';
import * as m0023 from './0023-incidents.js';

/** Migrations are listed in code so a bundled build needs no file-system scan. Append only. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-shop-and-conversations': m0001,
  '0002-self-service': m0002,
  '0003-throttle-counters': m0003,
  '0004-outbound-messages': m0004,
  '0005-conversation-projection': m0005,
  '0006-status-checks': m0006,
  '0007-inbound-messages': m0007,
  '0008-conversation-effects': m0008,
  '0009-agent-accounts': m0009,
  '0011-customer-passwords': m0011,
  '0012-agent-routing': m0012,
  '0013-customer-security-questions': m0013,
  '0014-outbound-notifications': m0014,
  '0015-return-exchanges': m0015,
  '0016-agent-conversation-views': m0016,
  '0017-customer-profiles': m0017,
  '0018-case-management': m0018,
  '0019-sms-opt-outs': m0019,
  '0020-messaging-windows': m0020,
  '0021-consents-and-shop-events': m0021,
  '0022-case-csat-and-reminders': m0022,
  '0023-incidents': m0023,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
