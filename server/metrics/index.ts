export { createMetrics, METRIC_PREFIX, type Metrics } from './registry.js';
export { CountedEventWriter, meteredLocks, meteredNlu, meteredTurns } from './instruments.js';
export { refreshDatabaseGauges } from './database-gauges.js';
export { METRICS_PATH, metricsRouter } from './route.js';
