import { loadConfig } from '../core/config.js';
import { isSwitchboardError } from '../core/errors.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

/** `npm start` (and `npm run start:prod`, compiled): validate the configuration, start everything, print where it is served. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (isSwitchboardError(error) && error.code === 'SB_ERR_CONFIG') {
      // One line per problem (production lists every refusal at once), each naming its variable.
      for (const line of error.message.split('\n')) process.stderr.write(`Configuration error: ${line}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const service = await startService(config, { log });
  const lines = [
    '',
    'Switchboard is running.',
    `  Chat demo:           ${service.urls.chatDemo}`,
    ...(service.urls.devOutbox
      ? [`  Development outbox:  ${service.urls.devOutbox} (${service.devOutboxPublic ? 'served to every client: DEV_OUTBOX=true' : 'loopback clients only; DEV_OUTBOX=true serves it to all'})`]
      : []),
    `  Agent console:       ${service.agentConsole.url}`,
    ...(service.urls.whatsappWebAdmin !== null ? [`  WhatsApp Web:        ${service.urls.whatsappWebAdmin} (admins: scan the QR code to log in; unofficial, see docs/channels.md)`] : []),
    ...(service.agentConsole.demoAgents.length > 0
      ? [`  Demo agents:         ${service.agentConsole.demoAgents.map((a) => `${a.email} (${a.role}, ${a.team})`).join(', ')}; passwords in ${config.DATA_DIR}/secrets.json (demoAgents)`]
      : []),
    `  Help centre:         ${service.urls.chatDemo}help`,
    `  Health:              ${service.urls.health}`,
    `  Database:            ${service.database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pgdata` : 'Postgres (DATABASE_URL)'}`,
    `  State:               ${service.state.kind === 'memory' ? 'in-process (set REDIS_URL to share it between instances)' : 'Redis (REDIS_URL)'}`,
    ...(service.generatedAdminToken ? [`  Admin API token:     generated in ${config.DATA_DIR}/secrets.json`] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  // Built now rather than on the first visit (a few seconds, once per change of its sources).
  service.agentConsole.prepare().catch((error: unknown) => log.error({ err: error }, 'the agent console could not be built; /agent answers 500 until it is'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Switchboard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
