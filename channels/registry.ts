import express, { Router, type Request, type Response } from 'express';
import {
  type Acknowledgement,
  type ChannelCapabilities,
  type ChannelConnector,
  type ChannelPlugin,
  type ChannelSender,
  type DeliveryReports,
  type InboundQueue,
  type ProviderResponse,
  type RawInboundRequest,
  type VerifyResult,
} from '../core/channel.js';
import { SwitchboardError } from '../core/errors.js';
import { assertNever, type ChannelName } from '../core/message.js';

/** Where connectors are mounted: `/channels/<path>`. */
export const CHANNELS_MOUNT = '/channels';

const PATH_SEGMENT = /^[a-z][a-z0-9-]{0,40}$/;

export interface RegistryLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ChannelRoutesDeps {
  /** Stores verified messages with their processing jobs (jobs/inbound-intake.ts). */
  inbound: InboundQueue;
  reports: DeliveryReports;
  /** PUBLIC_URL (known only after listening when PORT=0): the base of the URL providers sign. */
  publicBaseUrl: () => string;
  log: RegistryLogger;
}

/**
 * Every channel the service speaks: the senders delivery uses, each channel's capabilities, and
 * the webhook connectors mounted at `/channels/<path>`. A channel or path named twice is a
 * start-up error, not a silent override.
 */
export class ChannelRegistry {
  private readonly plugins = new Map<ChannelName, ChannelPlugin>();
  private readonly connectors: ChannelConnector[] = [];

  constructor(channels: { connectors?: readonly ChannelConnector[]; direct?: readonly ChannelPlugin[] }) {
    const paths = new Set<string>();
    for (const plugin of [...(channels.direct ?? []), ...(channels.connectors ?? [])]) {
      if (this.plugins.has(plugin.channel)) throw new SwitchboardError('SB_ERR_CONFIG', `Channel ${plugin.channel} is registered twice`);
      if (plugin.sender.channel !== plugin.channel) throw new SwitchboardError('SB_ERR_CONFIG', `Channel ${plugin.channel} has the sender of ${plugin.sender.channel}`);
      this.plugins.set(plugin.channel, plugin);
    }
    for (const connector of channels.connectors ?? []) {
      if (!PATH_SEGMENT.test(connector.path) || paths.has(connector.path)) {
        throw new SwitchboardError('SB_ERR_CONFIG', `Channel ${connector.channel}: path ${JSON.stringify(connector.path)} is taken or not lower-case letters, digits and dashes`);
      }
      paths.add(connector.path);
      if ((connector.subPaths ?? []).some((sub) => !PATH_SEGMENT.test(sub))) {
        throw new SwitchboardError('SB_ERR_CONFIG', `Channel ${connector.channel}: sub-paths must be lower-case letters, digits and dashes`);
      }
      this.connectors.push(connector);
    }
  }

  /** One sender per channel, for the delivery worker. */
  senders(): ReadonlyMap<ChannelName, ChannelSender> {
    return new Map([...this.plugins].map(([channel, plugin]) => [channel, plugin.sender]));
  }

  capabilities(channel: ChannelName): ChannelCapabilities | null {
    return this.plugins.get(channel)?.capabilities ?? null;
  }

  /** Mounted at `CHANNELS_MOUNT`, ahead of any JSON parser: each connector reads its own raw body. */
  router(deps: ChannelRoutesDeps): Router {
    const router = Router();
    for (const connector of this.connectors) {
      // Exact bytes, whatever the content type, and not inflated: the signature covers what was sent.
      const raw = express.raw({ type: () => true, limit: connector.maxBodyBytes, inflate: false });
      const inbound = connector.inbound?.(deps.inbound) ?? deps.inbound;
      for (const route of [connector.path, ...(connector.subPaths ?? []).map((sub) => `${connector.path}/${sub}`)]) {
        router.post(`/${route}`, raw, async (req, res) => {
          await handleWebhook(connector, rawRequest(req, deps.publicBaseUrl()), res, { ...deps, inbound });
        });
      }
      const { handshake } = connector;
      if (handshake !== undefined) {
        router.get(`/${connector.path}`, (req, res) => {
          send(res, handshake(queryOf(req)));
        });
      }
    }
    return router;
  }
}

/** Single-valued query parameters only: a repeated one counts as absent, so it never matches a token. */
function queryOf(req: Request): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of new URL(req.originalUrl, 'http://query.invalid').searchParams) query[name] = name in query ? undefined : value;
  return query;
}

function rawRequest(req: Request, publicBaseUrl: string): RawInboundRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const body: unknown = req.body;
  return {
    method: req.method,
    path: req.originalUrl,
    publicUrl: `${publicBaseUrl}${req.originalUrl}`,
    headers,
    body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
    receivedAt: new Date(),
  };
}

/**
 * verify → parse → store and queue → acknowledge. Nothing is parsed, stored or queued before
 * the signature holds; the provider hears back as soon as the messages are durable, before any
 * turn runs. A database outage while storing is a 503 with Retry-After (server/errors.ts), so
 * the provider retries and nothing it was told we have is lost.
 */
async function handleWebhook(connector: ChannelConnector, request: RawInboundRequest, res: Response, deps: ChannelRoutesDeps): Promise<void> {
  const verdict = await verifySafely(connector, request, deps.log);
  if (!verdict.ok) {
    // The reason is logged as a code; the response says only that it failed, never what was expected.
    deps.log.warn({ channel: connector.channel, reason: verdict.reason }, 'webhook signature refused');
    throw new SwitchboardError('SB_ERR_WEBHOOK_SIGNATURE');
  }
  const parsed = connector.parse(request);
  let acknowledgement: Acknowledgement;
  switch (parsed.kind) {
    case 'invalid':
      throw new SwitchboardError('SB_ERR_VALIDATION', `The ${connector.channel} webhook body is invalid`, parsed.details);
    case 'messages':
      // A provider that takes the reply in its webhook's response (Twilio's TwiML) stores, queues and answers itself.
      if (connector.receive !== undefined && parsed.reports === undefined) {
        send(res, await connector.receive(parsed.messages, deps.inbound));
        return;
      }
      acknowledgement = { kind: 'messages', results: parsed.messages.length === 0 ? [] : await deps.inbound.accept(parsed.messages) };
      for (const report of parsed.reports ?? []) await deps.reports.record(connector.channel, report);
      break;
    case 'status_reports':
      for (const report of parsed.reports) await deps.reports.record(report.channel ?? connector.channel, report);
      acknowledgement = { kind: 'status_reports', count: parsed.reports.length };
      break;
    case 'ignored':
      acknowledgement = { kind: 'ignored' };
      break;
    default:
      return assertNever(parsed);
  }
  send(res, connector.acknowledge(acknowledgement));
}

/** A verifier that throws refuses the request: fail closed. */
async function verifySafely(connector: ChannelConnector, request: RawInboundRequest, log: RegistryLogger): Promise<VerifyResult> {
  try {
    return await connector.verify(request);
  } catch (error) {
    log.error({ channel: connector.channel, err: error }, 'webhook verification threw; refusing the request');
    return { ok: false, reason: 'bad_signature' };
  }
}

function send(res: Response, response: ProviderResponse): void {
  res.status(response.status);
  if (response.contentType !== undefined) res.type(response.contentType);
  res.send(response.body ?? '');
}
