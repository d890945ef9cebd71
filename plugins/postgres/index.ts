/**
 * The built-in postgres plugin: read-only SQL that a hostile prompt cannot turn into a write, bounded
 * results, schema resources, live metrics. See sql-guard.ts and query-runner.ts for the layers.
 */
import type { PluginContext, PluginModule } from '../../core/api/index.js';
import type { PostgresConfig } from './config.js';
import { PostgresInstance } from './instance.js';
import { registerMetrics } from './metrics.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerCatalogTools } from './tools/catalog-tools.js';
import { registerExecute } from './tools/execute.js';
import { registerExplain } from './tools/explain.js';
import { registerQuery } from './tools/query.js';

const plugin: PluginModule<PostgresConfig> = {
  register(ctx: PluginContext<PostgresConfig>) {
    const pg = new PostgresInstance(ctx);
    registerQuery(pg);
    registerCatalogTools(pg);
    registerExplain(pg);
    if (ctx.config.allowWrites) registerExecute(pg);
    registerResources(pg);
    const stopMetrics = registerMetrics(pg);
    registerPrompts(pg);
    ctx.onDispose(async () => {
      stopMetrics();
      await pg.pool.end();
    });
    // start() below finds it here; two instances share this module, so nothing is kept at module level.
    instances.set(ctx, pg);
  },

  start(ctx: PluginContext<PostgresConfig>) {
    const pg = instances.get(ctx);
    // Check the role in the background: the database may be down, and start must not wait for it.
    void pg?.pool
      .checkout()
      .then((client) => client.release())
      .catch((error: Error) => ctx.logger.warn(`database not reachable yet: ${error.message}`));
  },
};

const instances = new WeakMap<PluginContext<PostgresConfig>, PostgresInstance>();

export default plugin;
