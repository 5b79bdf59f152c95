import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

/**
 * Holds end-to-end traffic to the API document the service serves (`GET /openapi.json`): a
 * request body the spec would refuse, a status it does not list, or a response body that does not
 * match its schema fails the test, so the document cannot drift from what the routes do.
 */

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const pointer = (tokens: readonly string[]): string => `openapi#/${tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

export class ApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; literal: boolean }>;

  private constructor(private readonly document: Document) {
    addFormats(this.ajv);
    // OpenAPI's own formats for binary bodies; nothing to check in a JSON value.
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(document as object, 'openapi');
    this.templates = Object.keys(document.paths)
      .map((template) => ({
        template,
        literal: !template.includes('{'),
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      }))
      // An exact path wins over a template that also matches it.
      .sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  /** The document a running service serves. */
  static async of(baseUrl: string): Promise<ApiContract> {
    const res = await fetch(`${baseUrl}/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
    return ApiContract.from(await res.json());
  }

  /** A document in hand (as JSON: a copy, so the caller's object is not touched). */
  static from(document: unknown): ApiContract {
    return new ApiContract(JSON.parse(JSON.stringify(document)) as Document);
  }

  /** The spec path (`/api/agent/conversations/{id}`) a concrete URL or path falls under. */
  pathOf(url: string): string {
    const path = new URL(url, 'http://spec.invalid').pathname;
    const found = this.templates.find((t) => t.pattern.test(path));
    if (found === undefined) throw new Error(`${path} is not in the API document`);
    return found.template;
  }

  /** Throws unless the spec documents this operation and `body` fits its JSON request body. */
  checkRequest(method: string, url: string, body: unknown): void {
    const [path, operation] = this.operation(method, url);
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    if (schema === undefined) {
      if (body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
        throw new Error(`${method.toUpperCase()} ${path}: the API document declares no JSON request body, but one was sent`);
      }
      return;
    }
    this.check([`paths`, path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'], body, `${method.toUpperCase()} ${path} request body`);
  }

  /** Throws unless the spec lists `status` for this operation and `body` fits its JSON schema. */
  checkResponse(method: string, url: string, status: number, body: unknown): void {
    const [path, operation] = this.operation(method, url);
    const response = operation.responses?.[String(status)];
    if (response === undefined) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which the API document does not list (it lists ${Object.keys(operation.responses ?? {}).join(', ')})`);
    if (response.content?.['application/json']?.schema === undefined) {
      if (body !== undefined && body !== null && body !== '') throw new Error(`${method.toUpperCase()} ${path} ${status}: the API document declares no JSON body, but one came back`);
      return;
    }
    this.check(['paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'], body, `${method.toUpperCase()} ${path} ${status} response body`);
  }

  /**
   * Both sides of one exchange, as the test clients report them. The request is held to the spec
   * only when the server took it (2xx): tests send malformed bodies on purpose to see them refused,
   * and the refusal is what the spec must then describe.
   */
  checkExchange(exchange: { method: string; url: string; requestBody?: unknown; status: number; responseBody: unknown }): void {
    if (exchange.status >= 200 && exchange.status < 300) this.checkRequest(exchange.method, exchange.url, exchange.requestBody);
    this.checkResponse(exchange.method, exchange.url, exchange.status, exchange.responseBody);
  }

  private operation(method: string, url: string): [string, Operation] {
    const path = this.pathOf(url);
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (operation === undefined) throw new Error(`${method.toUpperCase()} ${path} is not in the API document`);
    return [path, operation];
  }

  private check(tokens: readonly string[], value: unknown, what: string): void {
    const ref = pointer(tokens);
    let validate = this.compiled.get(ref);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (!validate(value)) throw new Error(`${what} does not match the API document: ${describe(validate.errors ?? [])}\n${JSON.stringify(value).slice(0, 2000)}`);
  }
}

function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params !== undefined ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ');
}
