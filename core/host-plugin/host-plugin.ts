import { HOST_API_VERSION } from '../api/plugin-api.js';
import type { InstanceConfig } from '../config/config-types.js';
import type { InternalPlugin } from '../plugins/plugin-manager.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { registerMetaTools } from './meta-tools.js';
import { registerStatusTool } from './status-tool.js';

/**
 * The host's own instance: always present, namespace `host`. No time limit of its own: host__call_tool runs the
 * called tool under that tool's instance limit, which may well be longer than any default here.
 */
export const hostInstance: InstanceConfig = { id: 'host', plugin: 'host', enabled: true, namespace: 'host', config: {}, timeoutMs: 0 };

/** The host's own tools, served through the same plugin contract as everyone else's. */
export const hostPlugin: InternalPlugin = {
  descriptor: {
    dir: packageRoot,
    entry: '',
    builtin: true,
    manifest: { id: 'host', version: packageVersion, hostApi: `^${HOST_API_VERSION}`, main: '', description: 'The host itself' },
  },
  module: {
    register(ctx) {
      registerStatusTool(ctx);
      registerMetaTools(ctx);
    },
  },
};
