import { expect, test } from 'vitest';
import { runScaleBench } from './scale-run.js';

// The scale bench at its smallest: two instances behind the proxy, a few conversations, then one
// instance SIGKILLed under load (the Redis and Postgres outages have their own tests:
// server/instances.test.ts, server/database-outage.test.ts). Speed is not asserted here; what
// must not happen is.
test('with two instances behind a proxy, killing one loses, repeats and reorders nothing a customer was told was received', { timeout: 240_000 }, async () => {
  const report = await runScaleBench({
    conversations: 10,
    clients: 5,
    seconds: 60,
    turnsPerConversation: 4,
    faults: ['instance'],
    faultClients: 5,
    outageSeconds: 2,
    // The killed instance's locks expire after this; the default (30 s) would only make the test longer.
    lockTtlMs: 3000,
  });

  expect(report.turns).toBe(40);
  expect(Object.keys(report.turnsPerInstance).sort()).toEqual(['a', 'b']);
  expect(report.faults.instance?.turns).toBeGreaterThan(0);
  for (const phase of [report, report.faults.instance!]) {
    expect(phase.findings).toEqual([]);
    expect(phase).toMatchObject({ orderingViolations: 0, lost: 0, duplicated: 0, unacknowledged: 0, unexpectedAnswers: 0 });
  }
  // Every conversation the kill interrupted was answered again by the remaining instance.
  expect(report.faults.instance?.recoverySeconds).not.toBeNull();
  expect(report.faults.instance?.slowestCustomerSeconds).not.toBeNull();
});
