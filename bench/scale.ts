/**
 * `npm run bench:scale [-- --conversations 500 --clients 50 --seconds 120 --faults redis,postgres,instance]`
 *
 * Two Switchboard instances sharing one Redis and one Postgres (their own, on free ports) behind
 * a round-robin HTTP + WebSocket proxy. Phase 1 drives `--conversations` web-chat conversations
 * and measures turns/s and latency; phase 2 kills Redis, stops Postgres, then SIGKILLs one
 * instance, each under load, and counts acknowledged messages lost or duplicated and the time to
 * recover. Every conversation is audited for ordering (docs/scaling.md). Prints one JSON object.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FAULT_KINDS, runScaleBench, SCALE_SCRIPT } from './scale-run.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '500' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '120' },
    turns: { type: 'string', default: String(SCALE_SCRIPT.length) },
    faults: { type: 'string', default: FAULT_KINDS.join(',') },
    'fault-clients': { type: 'string', default: '20' },
    'outage-seconds': { type: 'string', default: '5' },
    'lock-ttl-ms': { type: 'string', default: '30000' },
  },
});

const count = (name: string, max: number) => z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`).min(1, `--${name} must be at least 1`).max(max, `--${name} must be at most ${max}`);
const ArgsSchema = z.object({
  conversations: count('conversations', 100_000),
  clients: count('clients', 2000),
  seconds: count('seconds', 3600),
  turns: count('turns', SCALE_SCRIPT.length),
  faults: z
    .string()
    .transform((s) => s.split(',').map((f) => f.trim()).filter((f) => f !== '' && f !== 'none'))
    .pipe(z.array(z.enum(FAULT_KINDS, { error: `--faults takes a comma-separated list of ${FAULT_KINDS.join(', ')} (or none)` }))),
  'fault-clients': count('fault-clients', 2000),
  'outage-seconds': count('outage-seconds', 300),
  'lock-ttl-ms': z.coerce.number().int().min(1000, '--lock-ttl-ms must be at least 1000 (TURN_LOCK_TTL_MS)').max(120_000, '--lock-ttl-ms must be at most 120000'),
});
const parsed = ArgsSchema.safeParse(values);
if (!parsed.success) {
  process.stderr.write(`${parsed.error.issues.map((i) => i.message).join('\n')}\n`);
  process.exit(2);
}
const args = parsed.data;
const report = await runScaleBench({
  conversations: args.conversations,
  clients: args.clients,
  seconds: args.seconds,
  turnsPerConversation: args.turns,
  faults: args.faults,
  faultClients: args['fault-clients'],
  outageSeconds: args['outage-seconds'],
  lockTtlMs: args['lock-ttl-ms'],
  progress: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ ...report, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) })}\n`);
process.exit(0);
