import {
  CustomerActionResultSchema,
  VerificationCheckSchema,
  VerificationStartSchema,
  type CustomerActionResult,
  type VerificationCheck,
  type VerificationCheckBody,
  type VerificationStart,
  type VerificationStartBody,
} from '../../../core/agent-api.js';
import { call } from './api.js';

/** The path of each action the Actions menu offers (POST …/actions/<path>). */
export const ACTIONS = [
  { path: 'cancel-order', label: 'Cancel order' },
  { path: 'change-address', label: 'Change delivery address' },
  { path: 'start-return', label: 'Start a return' },
  { path: 'refund', label: 'Request a refund' },
  { path: 'payment-retry', label: 'Retry the payment' },
  { path: 'open-case', label: 'Open a repair or warranty case' },
] as const;
export type ActionPath = (typeof ACTIONS)[number]['path'];

const base = (id: string): string => `/conversations/${encodeURIComponent(id)}`;

/** Verifying the customer and acting for them (docs/agents.md, "Verifying the customer"). */
export const customerApi = {
  async startVerification(id: string, body: VerificationStartBody): Promise<VerificationStart> {
    return (await call(VerificationStartSchema, 'POST', `${base(id)}/verification`, body))!;
  },
  async checkVerification(id: string, body: VerificationCheckBody): Promise<VerificationCheck> {
    return (await call(VerificationCheckSchema, 'POST', `${base(id)}/verification/check`, body))!;
  },
  async act(id: string, action: ActionPath, body: Record<string, unknown>): Promise<CustomerActionResult> {
    return (await call(CustomerActionResultSchema, 'POST', `${base(id)}/actions/${action}`, body))!;
  },
};
