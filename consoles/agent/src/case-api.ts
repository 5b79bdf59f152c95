import type { z } from 'zod';
import { AGENT_API } from '../../../core/agent-api.js';
import {
  BroadcastResultSchema,
  CaseDetailSchema,
  CaseFollowUpResultSchema,
  CaseListSchema,
  CaseTemplatesResponseSchema,
  ProfileCasesSchema,
  type CaseDetail,
  type CaseRole,
  type CaseTemplate,
  type UpdateCaseBody,
} from '../../../core/case-api.js';
import { AssociateResultSchema, type AssociateResult } from '../../../core/profile-api.js';

/** A refused call, with each field's problem (`fields.serialNumber` → message). */
export class CaseApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string>,
  ) {
    super(message);
  }
}

async function request<T extends z.ZodType>(schema: T, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<z.infer<T>> {
  const response = await fetch(`${AGENT_API}${path}`, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const envelope = json as { error?: { message?: string; details?: Array<{ path?: string; message?: string }> } } | null;
    const fieldErrors: Record<string, string> = {};
    for (const d of envelope?.error?.details ?? []) {
      const key = (d.path ?? '').replace(/^(body\.)?fields\./, '');
      if (key !== '' && fieldErrors[key] === undefined) fieldErrors[key] = d.message ?? '';
    }
    throw new CaseApiError(response.status, envelope?.error?.message ?? `HTTP ${response.status}`, fieldErrors);
  }
  return schema.parse(json);
}

const caseOf = (number: string): string => `/cases/${encodeURIComponent(number)}`;

/** Cases (docs/profiles-and-cases.md "Cases"): the console's calls, each answer checked against the API's schema. */
export const caseApi = {
  async templates(): Promise<CaseTemplate[]> {
    return (await request(CaseTemplatesResponseSchema, 'GET', '/case-templates')).templates;
  },
  create: (body: { template: string; fields: Record<string, string | boolean>; profiles: Array<{ customerId: string; role: CaseRole }> }): Promise<CaseDetail> => request(CaseDetailSchema, 'POST', '/cases', body),
  detail: (number: string): Promise<CaseDetail> => request(CaseDetailSchema, 'GET', caseOf(number)),
  update: (number: string, body: UpdateCaseBody): Promise<CaseDetail> => request(CaseDetailSchema, 'PATCH', caseOf(number), body),
  linkProfile: (number: string, customerId: string, role: CaseRole, notify: boolean): Promise<CaseDetail> => request(CaseDetailSchema, 'POST', `${caseOf(number)}/profiles`, { customerId, role, notify }),
  broadcast: (number: string, text: string) => request(BroadcastResultSchema, 'POST', `${caseOf(number)}/broadcast`, { text }),
  followUp: (number: string, at: string, note: string, notifyCustomer: boolean) => request(CaseFollowUpResultSchema, 'POST', `${caseOf(number)}/follow-up`, { at, note, notifyCustomer }),
  async search(q: string) {
    return (await request(CaseListSchema, 'GET', `/cases?q=${encodeURIComponent(q)}`)).cases;
  },
  async ofProfile(customerId: string) {
    return (await request(ProfileCasesSchema, 'GET', `/profiles/${encodeURIComponent(customerId)}/cases`)).cases;
  },
  associate: (conversationId: string, caseNumbers: string[]): Promise<AssociateResult> =>
    request(AssociateResultSchema, 'POST', `/conversations/${encodeURIComponent(conversationId)}/associate`, { caseNumbers }),
};
