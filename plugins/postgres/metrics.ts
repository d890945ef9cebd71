/**
 * The live metrics resource. Nothing is polled while no client is subscribed; while one is, the values
 * are read every metricsIntervalMs and subscribers are told when they changed. The poll is one query and
 * counts as a transaction itself, so commit/rollback counters move with each poll.
 */
import type { PostgresInstance } from './instance.js';

export const METRICS_URI = 'postgres://metrics';

const METRICS_SQL = `/* mcp-host metrics */ SELECT json_build_object(
  'database', current_database(),
  'connections', (SELECT coalesce(json_object_agg(state, n), '{}'::json) FROM (
      SELECT coalesce(state, 'background') AS state, count(*) AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1) s),
  'commits', d.xact_commit,
  'rollbacks', d.xact_rollback,
  'cacheHitRatio', CASE WHEN d.blks_hit + d.blks_read = 0 THEN NULL ELSE round(d.blks_hit::numeric / (d.blks_hit + d.blks_read), 4) END,
  'databaseSizeBytes', pg_database_size(d.datid),
  'longestRunningQuery', (SELECT json_build_object('pid', a.pid, 'seconds', round(extract(epoch FROM now() - a.query_start)::numeric, 3),
      'user', a.usename, 'query', left(a.query, 200))
    FROM pg_stat_activity a WHERE a.state = 'active' AND a.pid <> pg_backend_pid() AND a.datname = current_database()
    ORDER BY a.query_start LIMIT 1)
) FROM pg_stat_database d WHERE d.datname = current_database()`;

export function registerMetrics(pg: PostgresInstance): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let polling = false;

  const read = async (signal: AbortSignal): Promise<unknown> => {
    const result = await pg.run(METRICS_SQL, [], { signal }, { maxBytes: 1024 * 1024, maxRows: 1 });
    return result.rows[0]?.[0];
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const value = JSON.stringify(await read(AbortSignal.timeout(pg.config.statementTimeoutMs + 5000)));
      // Unsubscribed while the poll ran: say nothing.
      if (timer && value !== last) {
        last = value;
        pg.ctx.resources.notifyUpdated(METRICS_URI);
      }
    } catch (error) {
      pg.ctx.logger.debug('metrics poll failed', { error: pg.pool.scrub((error as Error).message) });
    } finally {
      polling = false;
    }
  };

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    last = undefined;
  };

  pg.ctx.resources.register({
    uri: METRICS_URI,
    name: 'metrics',
    title: 'Database metrics',
    description: 'Connections by state, commits/rollbacks, cache hit ratio, database size, longest running query. Subscribe for updates every metricsIntervalMs.',
    mimeType: 'application/json',
    read: async (uri, extra) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(await read(extra.signal), null, 2) }] }),
    subscribe: () => {
      if (timer) return;
      timer = setInterval(() => void poll(), pg.config.metricsIntervalMs);
      timer.unref();
      void poll();
    },
    unsubscribe: stop,
  });
  return stop;
}
