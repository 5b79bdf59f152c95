/** A tiny client for the editor API, for tests and scripts. */
export class EditorClient {
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
    return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  /** The ids the bot's retriever returns for `question` (top 3). */
  async searchIds(question: string): Promise<string[]> {
    const { json } = await this.call('POST', '/search-test', { question });
    return (json as { results: Array<{ id: string }> }).results.map((r) => r.id);
  }
}
