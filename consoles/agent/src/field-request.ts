import type { z } from 'zod';
import { AGENT_API } from '../../../core/agent-api.js';

/** A refused call of a form's API: the status, each field's problem (`fields.accountId` → message) and the answer's body. */
export class FieldApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string>,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/**
 * One call of the agent API whose answer is checked against its schema; a refusal's details
 * (`SB_ERR_VALIDATION`, one per field) are keyed by the field, so a form shows each on its field.
 */
export async function fieldRequest<T extends z.ZodType>(schema: T, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<z.infer<T>> {
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
    throw new FieldApiError(response.status, envelope?.error?.message ?? `HTTP ${response.status}`, fieldErrors, json);
  }
  return schema.parse(json);
}
