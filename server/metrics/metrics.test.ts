import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, textOf } from '../../test/chat-client.js';
import { startTestService, type TestService } from '../../test/service.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('redis+postgres', { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => service?.dispose());

  const scrape = (headers: Record<string, string> = {}) => fetch(`${service.url}/metrics`, { headers });

  test('with METRICS_TOKEN set, answers only a scraper that sends it, and never echoes it', async () => {
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    const wrong = await scrape({ authorization: 'Bearer not-the-metrics-token-at-all-000' });
    expect(wrong.status).toBe(403);
    const body = await wrong.text();
    expect(body).not.toContain(TOKEN);
    expect(body).not.toContain('switchboard_');
  });

  test('counts a conversation: turns by channel and outcome, NLU by provider, lock waits, a handoff by reason, outbound messages', async () => {
    const client = await new ChatClient(service.url).start();
    expect(textOf(await client.say('how long do I have to return headphones?'))).not.toBe('');
    await client.say('talk to a person');
    const res = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(sample(text, 'switchboard_turn_duration_seconds_count{channel="webchat",outcome="answered"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'switchboard_nlu_duration_seconds_count{provider="local"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'switchboard_lock_wait_seconds_count{outcome="acquired"}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^switchboard_handoffs_total\{reason="[a-z_]+"\} 1$/m);
    expect(text).toMatch(/^switchboard_outbound_messages_current\{channel="webchat",status="[a-z_]+"\} [1-9]\d*$/m);
    expect(sample(text, 'switchboard_open_sockets')).toBe(0);
    // Every job queue is listed, an empty one at 0.
    expect(text).toMatch(/^switchboard_queue_depth_current\{queue="[^"]+"\} \d+$/m);
    expect(text).toMatch(/^switchboard_queue_oldest_job_age_seconds_current\{queue="[^"]+"\} [\d.e+-]+$/m);
    expect(text).toContain('# TYPE switchboard_sla_breaches_total counter');
    expect(text).toContain('# TYPE switchboard_backend_errors_total counter');
    // The default process metrics, under the same prefix.
    expect(text).toMatch(/^switchboard_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^switchboard_nodejs_eventloop_lag_seconds \d/m);
    // Every metric is Switchboard's: no unprefixed names, no message text or customer data.
    const names = new Set(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => /^[a-zA-Z_:][\w:]*/.exec(l)?.[0]));
    expect([...names].filter((n) => !n?.startsWith('switchboard_'))).toEqual([]);
    expect(text).not.toMatch(/headphones|talk to a person/);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  test('answers every scraper (keep it off the public side of the proxy)', async () => {
    const open = await startTestService('redis+postgres');
    try {
      const res = await fetch(`${open.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('# TYPE switchboard_turn_duration_seconds histogram');
    } finally {
      await open.dispose();
    }
  }, 90_000);
});
