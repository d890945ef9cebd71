import type { PluginContext, PluginLogger } from '../api/plugin-api.js';
import { INSTANCE_ID, PLUGIN_CONFIG, PLUGIN_CONTEXT, PLUGIN_LOGGER } from '../api/tokens.js';
import { resolvePath } from '../config/resolve-path.js';
import type { DependencyContainer } from '../di/container.js';
import { exposeUri } from '../registry/resource-uri.js';
import type { HostChannel } from './host-channel.js';
import type { InstanceGeneration } from './instance-generation.js';
import { SurfaceBuilder } from './surface-builder.js';

export interface ContextInputs {
  generation: InstanceGeneration;
  pluginId: string;
  config: Record<string, unknown>;
  logger: PluginLogger;
  parent: DependencyContainer;
  baseDir: string;
  channel: HostChannel;
  warnings: string[];
}

/** Builds the `ctx` of one instance generation, with its own child container. */
export function createPluginContext(inputs: ContextInputs): PluginContext {
  const { generation, channel, warnings } = inputs;
  const builder = new SurfaceBuilder(generation);
  const container = inputs.parent.createChildContainer();
  const ctx: PluginContext = {
    instanceId: generation.instanceId,
    namespace: generation.namespace,
    pluginId: inputs.pluginId,
    config: inputs.config,
    logger: inputs.logger,
    container,
    resolvePath: (p) => resolvePath(p, inputs.baseDir),
    status: {
      warn: (message) => {
        if (!warnings.includes(message)) warnings.push(message);
      },
      clear: () => {
        warnings.length = 0;
      },
    },
    client: channel.client,
    tools: { register: (tool) => builder.addTool(tool) },
    resources: {
      register: (resource) => builder.addResource(resource),
      registerTemplate: (template) => builder.addTemplate(template),
      notifyUpdated: (uri) => channel.resourceUpdated(exposeUri(generation.namespace, uri, generation.instanceId)),
    },
    prompts: { register: (prompt) => builder.addPrompt(prompt) },
    onDispose: (hook) => {
      generation.disposeHooks.push(hook);
    },
  };
  container.register(PLUGIN_CONTEXT, { useValue: ctx });
  container.register(PLUGIN_CONFIG, { useValue: inputs.config });
  container.register(PLUGIN_LOGGER, { useValue: inputs.logger });
  container.register(INSTANCE_ID, { useValue: generation.instanceId });
  generation.container = container;
  generation.ctx = ctx;
  generation.builder = builder;
  return ctx;
}
