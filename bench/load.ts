import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Session {
  /** Makes the next request of this simulated client. Resolves with the HTTP status. */
  next(): Promise<number>;
}

export interface LoadOptions {
  clients: number;
  seconds: number;
  /** Total requests per second across all clients; unset = as fast as possible (closed loop). */
  rate?: number;
  createSession(): Promise<Session>;
}

/**
 * A small load generator: `clients` simulated users, each sending its next request when the
 * previous one answered (and, with `rate`, not before its next slot). Latency is measured from
 * the scheduled slot, so a slow server can't hide queueing (no coordinated omission).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sessions = await Promise.all(Array.from({ length: options.clients }, () => options.createSession()));
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + options.seconds * 1000;
  const interval = options.rate ? (1000 * options.clients) / options.rate : 0;
  await Promise.all(
    sessions.map(async (session, i) => {
      let slot = start + (interval * i) / options.clients;
      while (slot < end) {
        const now = performance.now();
        if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
        const scheduled = interval > 0 ? slot : performance.now();
        const status = await session.next().catch(() => 0);
        latencies.push(performance.now() - scheduled);
        if (status < 200 || status >= 300) errors += 1;
        slot = interval > 0 ? slot + interval : performance.now();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    seconds: round(seconds),
    perSecond: round(latencies.length / seconds),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
  };
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export function postJson(port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
