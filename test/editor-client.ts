import type { ApiContract } from './openapi-validate.js';

/** A tiny client for the editor API, for tests and scripts. */
export class EditorClient {
  /** When set, every exchange is checked against the API document (test/openapi-validate.ts). */
  contract: ApiContract | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = {};
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}/api/editor${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    const json = text === '' ? null : (JSON.parse(text) as unknown);
    this.contract?.checkExchange({ method, url: `/api/editor${path}`, requestBody: body, status: res.status, responseBody: json });
    return { status: res.status, json };
  }

  /** The ids the bot's retriever returns for `question` (top 3). */
  async searchIds(question: string): Promise<string[]> {
    const { json } = await this.call('POST', '/search-test', { question });
    return (json as { results: Array<{ id: string }> }).results.map((r) => r.id);
  }
}
