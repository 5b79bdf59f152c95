import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import type { Database } from '../db/schema.js';
import { SecurityQuestions } from '../db/security-questions.js';

/** argon2id with OWASP's minimum, as agents' passwords (server/agent/passwords.ts). */
const ARGON2ID = 2 as Algorithm.Argon2id;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** "  New   York " and "new york" are the same answer: case and spacing are not what is secret. */
export function normalizeAnswer(answer: string): string {
  return answer.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function hashAnswer(answer: string): Promise<string> {
  return hash(normalizeAnswer(answer), OPTIONS);
}

/** False for a wrong answer and a malformed hash alike. */
export async function answerMatches(answerHash: string, answer: string): Promise<boolean> {
  try {
    return await verify(answerHash, normalizeAnswer(answer));
  } catch {
    return false;
  }
}

/** The demo customers' security questions (docs/agents.md names them). */
export const DEMO_SECURITY_QUESTIONS = [
  { customerId: DEMO_FIXTURES.customerId, question: 'What was the name of your first pet?', answer: 'Pixel' },
  { customerId: DEMO_FIXTURES.second.customerId, question: 'In which city were you born?', answer: 'New York' },
] as const;

/** Sets the demo customers' questions where they have none (SEED_DEMO); hashes only what is missing. */
export async function seedDemoSecurityQuestions(db: Kysely<Database>, now: Date = new Date()): Promise<void> {
  const questions = new SecurityQuestions(db);
  const present = await questions.withQuestion(DEMO_SECURITY_QUESTIONS.map((q) => q.customerId));
  const customers = await db.selectFrom('customers').select('id').where('id', 'in', DEMO_SECURITY_QUESTIONS.map((q) => q.customerId)).execute();
  const known = new Set(customers.map((c) => c.id));
  for (const q of DEMO_SECURITY_QUESTIONS) {
    if (!present.has(q.customerId) && known.has(q.customerId)) await questions.set(q.customerId, q.question, await hashAnswer(q.answer), now);
  }
}
