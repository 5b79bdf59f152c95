import { z } from 'zod';
import {
  BroadcastResultSchema,
  CaseDetailSchema,
  CaseFollowUpResultSchema,
  CaseListSchema,
  CaseRemindersSchema,
  CaseTemplatesResponseSchema,
  ProfileCasesSchema,
  type CaseDetail,
  type CaseRole,
  type CaseTemplate,
  type UpdateCaseBody,
  UpdateCaseResultSchema,
} from '../../../core/case-api.js';
import { AssociateResultSchema, type AssociateResult } from '../../../core/profile-api.js';
import { fieldRequest } from './field-request.js';

/** A refused call, with each field's problem (`fields.serialNumber` → message). */
export { FieldApiError as CaseApiError } from './field-request.js';

const caseOf = (number: string): string => `/cases/${encodeURIComponent(number)}`;

/** Cases (docs/profiles-and-cases.md "Cases"): the console's calls, each answer checked against the API's schema. */
export const caseApi = {
  async templates(): Promise<CaseTemplate[]> {
    return (await fieldRequest(CaseTemplatesResponseSchema, 'GET', '/case-templates')).templates;
  },
  create: (body: { template: string; fields: Record<string, string | boolean>; profiles: Array<{ customerId: string; role: CaseRole }> }): Promise<CaseDetail> => fieldRequest(CaseDetailSchema, 'POST', '/cases', body),
  detail: (number: string): Promise<CaseDetail> => fieldRequest(CaseDetailSchema, 'GET', caseOf(number)),
  update: (number: string, body: UpdateCaseBody) => fieldRequest(UpdateCaseResultSchema, 'PATCH', caseOf(number), body),
  linkProfile: (number: string, customerId: string, role: CaseRole, notify: boolean): Promise<CaseDetail> => fieldRequest(CaseDetailSchema, 'POST', `${caseOf(number)}/profiles`, { customerId, role, notify }),
  broadcast: (number: string, text: string) => fieldRequest(BroadcastResultSchema, 'POST', `${caseOf(number)}/broadcast`, { text }),
  followUp: (number: string, at: string, note: string, notifyCustomer: boolean) => fieldRequest(CaseFollowUpResultSchema, 'POST', `${caseOf(number)}/follow-up`, { at, note, notifyCustomer }),
  async search(q: string) {
    return (await fieldRequest(CaseListSchema, 'GET', `/cases?q=${encodeURIComponent(q)}`)).cases;
  },
  async ofProfile(customerId: string) {
    return (await fieldRequest(ProfileCasesSchema, 'GET', `/profiles/${encodeURIComponent(customerId)}/cases`)).cases;
  },
  async reminders() {
    return (await fieldRequest(CaseRemindersSchema, 'GET', '/case-reminders')).reminders;
  },
  /** 204 and no body: nothing to check but the status. */
  dismissReminder: (id: number): Promise<null> => fieldRequest(z.null(), 'POST', `/case-reminders/${id}/dismiss`, {}),
  associate: (conversationId: string, caseNumbers: string[]): Promise<AssociateResult> =>
    fieldRequest(AssociateResultSchema, 'POST', `/conversations/${encodeURIComponent(conversationId)}/associate`, { caseNumbers }),
};
