import type { PluginModule } from '../api/plugin-api.js';
import type { LoadRequest, ModuleLoader } from '../plugins/module-loader.js';
import type { PluginDescriptor } from '../plugins/manifest.js';
import { packagePath } from '../util/package-root.js';
import { IsolatedPlugin } from './isolated-plugin.js';
import { isolationOptions } from './isolation-options.js';
import { spawnProcess } from './process-boundary.js';
import { spawnWorker } from './worker-boundary.js';

/**
 * Chooses where each instance's plugin runs (its `isolation`): in this process through `inProcess`, or in
 * a worker thread or child process behind an IsolatedPlugin. A guest always imports the current code, so
 * isolated plugins need no code versioning: each generation gets a fresh guest.
 */
export class IsolatingLoader implements ModuleLoader {
  constructor(
    private readonly inProcess: ModuleLoader,
    private readonly guestPath = packagePath('dist', 'cli', 'isolation-guest.js'),
  ) {}

  async load(plugin: PluginDescriptor, request: LoadRequest): Promise<PluginModule> {
    const options = isolationOptions(request.instance.isolation, plugin.builtin);
    if (options.mode === 'in-process') return this.inProcess.load(plugin, request);
    const spawn = options.mode === 'worker' ? spawnWorker : spawnProcess;
    return new IsolatedPlugin({
      plugin,
      instanceId: request.instance.id,
      options,
      baseDir: request.baseDir,
      spawn: () => spawn({ guestPath: this.guestPath, memoryLimitMb: options.memoryLimitMb }),
      health: request.health,
    });
  }
}
