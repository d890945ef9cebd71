import type { PluginContext } from '../api/plugin-api.js';
import { HOST_STATUS, type InstanceStatus } from '../api/tokens.js';

/** host__status: every instance with its plugin, version, state, counts, warnings and last error. */
export function registerStatusTool(ctx: PluginContext): void {
  const status = ctx.container.resolve(HOST_STATUS);
  ctx.tools.register({
    name: 'status',
    title: 'Plugin host status',
    description: 'Lists every plugin instance of this MCP host with its plugin, version, state (serving, restarting, crashed, failed, disabled, incompatible), isolation, tool/resource/prompt counts, warnings and last error.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: () => {
      const instances = status.list().filter((s) => s.instance !== 'host');
      const configError = status.configError();
      const lines = instances.map(formatLine);
      if (configError) lines.unshift(`plugins.json not loaded: ${configError}`);
      return {
        content: [{ type: 'text', text: lines.join('\n') || 'no plugin instances configured' }],
        structuredContent: { instances, ...(configError ? { configError } : {}) },
      };
    },
  });
}

function formatLine(s: InstanceStatus): string {
  const counts = `${s.tools} tools, ${s.resources} resources, ${s.prompts} prompts`;
  const where = s.isolation && s.isolation !== 'in-process' ? `, ${s.isolation}` : '';
  const head = `${s.instance} (${s.plugin}${s.version ? ' ' + s.version : ''}${where}): ${s.state}`;
  const extra = [s.error ? `error ${s.error.code}: ${s.error.message}` : '', ...s.warnings.map((w) => `warning: ${w}`)].filter(Boolean);
  return [`${head} — ${counts}`, ...extra.map((e) => `    ${e}`)].join('\n');
}
