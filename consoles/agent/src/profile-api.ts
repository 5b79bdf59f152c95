import { z } from 'zod';
import { AGENT_API } from '../../../core/agent-api.js';
import {
  AssociateResultSchema,
  DuplicateProfileSchema,
  LinkedProfilesSchema,
  ProfileDetailSchema,
  ProfileFieldsResponseSchema,
  ProfilesSchema,
  ProfileWrittenSchema,
  type AssociateResult,
  type ListedProfile,
  type ProfileDetail,
  type ProfileSearchKey,
} from '../../../core/profile-api.js';
import type { ProfileFieldsConfig, ProfileInput } from '../../../core/profile-fields.js';

/** A refused call, with each field's problem (`fields.accountId` → message) and the profiles a duplicate offers instead. */
export class ProfileApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string>,
    readonly existing: ListedProfile[],
  ) {
    super(message);
  }
}

const ConversationProfilesSchema = z.object({
  associated: z.object({ customerId: z.string(), name: z.string(), at: z.string(), byAgentId: z.string() }).nullable(),
  linked: LinkedProfilesSchema,
});
export type ConversationProfiles = z.infer<typeof ConversationProfilesSchema>;

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
    const duplicate = response.status === 409 ? DuplicateProfileSchema.safeParse(json) : null;
    throw new ProfileApiError(response.status, envelope?.error?.message ?? `HTTP ${response.status}`, fieldErrors, duplicate?.success === true ? duplicate.data.existing : []);
  }
  return schema.parse(json);
}

const conversation = (id: string): string => `/conversations/${encodeURIComponent(id)}`;

/** Customer profiles (docs/profiles-and-cases.md): the console's calls, each answer checked against the API's schema. */
export const profileApi = {
  fields: (): Promise<ProfileFieldsConfig> => request(ProfileFieldsResponseSchema, 'GET', '/profile-fields'),
  async search(by: ProfileSearchKey, q: string): Promise<ListedProfile[]> {
    return (await request(ProfilesSchema, 'GET', `/profiles?by=${encodeURIComponent(by)}&q=${encodeURIComponent(q)}`)).profiles;
  },
  profile: (customerId: string): Promise<ProfileDetail> => request(ProfileDetailSchema, 'GET', `/profiles/${encodeURIComponent(customerId)}`),
  async create(fields: ProfileInput, sharedPhone: boolean): Promise<ProfileDetail> {
    return (await request(ProfileWrittenSchema, 'POST', '/profiles', { fields, sharedPhone })).profile;
  },
  async update(customerId: string, fields: ProfileInput): Promise<ProfileDetail> {
    return (await request(ProfileWrittenSchema, 'PATCH', `/profiles/${encodeURIComponent(customerId)}`, { fields })).profile;
  },
  associate: (conversationId: string, customerId: string): Promise<AssociateResult> => request(AssociateResultSchema, 'POST', `${conversation(conversationId)}/associate`, { customerId }),
  conversationProfiles: (conversationId: string): Promise<ConversationProfiles> => request(ConversationProfilesSchema, 'GET', `${conversation(conversationId)}/profiles`),
};
