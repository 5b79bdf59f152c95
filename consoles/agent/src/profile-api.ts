import { z } from 'zod';
import {
  AssociateResultSchema,
  DuplicateProfileSchema,
  LinkedProfilesSchema,
  MergeResultSchema,
  ProfileDetailSchema,
  ProfileFieldsResponseSchema,
  ProfilesSchema,
  ProfileWrittenSchema,
  type AssociateResult,
  type ListedProfile,
  type MergeResult,
  type ProfileDetail,
  type ProfileSearchKey,
} from '../../../core/profile-api.js';
import type { ProfileFieldsConfig, ProfileInput } from '../../../core/profile-fields.js';
import { FieldApiError, fieldRequest } from './field-request.js';

/** A refused call, with each field's problem (`fields.accountId` → message) and the profiles a duplicate offers instead. */
export class ProfileApiError extends FieldApiError {
  constructor(
    refused: FieldApiError,
    readonly existing: ListedProfile[],
  ) {
    super(refused.status, refused.message, refused.fieldErrors, refused.body);
  }
}

const ConversationProfilesSchema = z.object({
  associated: z.object({ customerId: z.string(), name: z.string(), at: z.string(), byAgentId: z.string() }).nullable(),
  linked: LinkedProfilesSchema,
});
export type ConversationProfiles = z.infer<typeof ConversationProfilesSchema>;

async function request<T extends z.ZodType>(schema: T, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<z.infer<T>> {
  try {
    return await fieldRequest(schema, method, path, body);
  } catch (error) {
    if (!(error instanceof FieldApiError)) throw error;
    const duplicate = error.status === 409 ? DuplicateProfileSchema.safeParse(error.body) : null;
    throw new ProfileApiError(error, duplicate?.success === true ? duplicate.data.existing : []);
  }
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
  merge: (into: string, from: string): Promise<MergeResult> => request(MergeResultSchema, 'POST', `/profiles/${encodeURIComponent(into)}/merge`, { from }),
  associate: (conversationId: string, customerId: string): Promise<AssociateResult> => request(AssociateResultSchema, 'POST', `${conversation(conversationId)}/associate`, { customerId }),
  conversationProfiles: (conversationId: string): Promise<ConversationProfiles> => request(ConversationProfilesSchema, 'GET', `${conversation(conversationId)}/profiles`),
};
