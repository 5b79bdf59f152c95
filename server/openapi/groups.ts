import type { ApiDocGroup } from '../../core/api-doc.js';
import { devOutboxDocs } from '../../channels/outbox/routes.js';
import { testChannelDocs } from '../../channels/test-channel/index.js';
import { metaChannelDocs } from '../../channels/meta/index.js';
import { whatsAppWebAdminDocs } from '../../channels/whatsapp-web/index.js';
import { twilioChannelDocs } from '../../channels/twilio/docs.js';
import { webchatApiDocs } from '../../channels/webchat/routes.js';
import { webchatSocketDocs } from '../../channels/webchat/socket.js';
import { accountResetDocs } from '../account-reset.js';
import { caseSatisfactionDocs } from '../case-satisfaction.js';
import { adminApiDocs } from '../admin.js';
import { shopEventsApiDocs } from '../shop-events.js';
import { agentApiDocs, agentSocketDocs } from '../agent/api-docs.js';
import { agentConsoleDocs } from '../agent/console-route.js';
import { customerRouteDocs } from '../agent/verification-routes.js';
import { profileRouteDocs } from '../agent/profile-routes.js';
import { caseRouteDocs } from '../agent/case-routes.js';
import { editorApiDocs } from '../editor.js';
import { healthApiDocs } from '../health.js';
import { helpPagesDocs } from '../help-pages.js';
import { returnLabelDocs } from '../labels.js';
import { metricsDocs } from '../metrics/route.js';
import { apiReferenceDocs } from './reference-docs.js';

/**
 * Every router's docs, in the order the reference page shows them. Each group names the mount
 * server/app.ts gives its router; server/openapi/coverage.test.ts checks both directions.
 */
export const API_DOC_GROUPS: readonly ApiDocGroup[] = [
  webchatApiDocs,
  webchatSocketDocs,
  agentApiDocs,
  customerRouteDocs,
  profileRouteDocs,
  caseRouteDocs,
  agentSocketDocs,
  agentConsoleDocs,
  editorApiDocs,
  helpPagesDocs,
  returnLabelDocs,
  accountResetDocs,
  caseSatisfactionDocs,
  testChannelDocs,
  metaChannelDocs,
  twilioChannelDocs,
  adminApiDocs,
  whatsAppWebAdminDocs,
  shopEventsApiDocs,
  healthApiDocs,
  metricsDocs,
  devOutboxDocs,
  apiReferenceDocs,
];
