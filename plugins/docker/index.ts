/**
 * The built-in `docker` plugin: inspect, operate and (when allowed) run containers through capability
 * profiles and a container-spec policy. Tools above the configured profile are never registered.
 * Nothing connects at start-up: an Engine that is down or absent leaves every tool listed, each
 * answering with a clear error until the Engine appears.
 */
import type { PluginContext, PluginModule } from '../../core/api/index.js';
import { allows, type DockerConfig, type Profile } from './config.js';
import { DockerInstance } from './instance.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources/container-resources.js';
import type { ToolFactory } from './tools/annotations.js';
import { containerLogs } from './tools/logs.js';
import { inspectContainer, listContainers } from './tools/containers.js';
import { createContainer, runContainer } from './tools/create.js';
import { events } from './tools/events.js';
import { execTool } from './tools/exec.js';
import { inspectImage, listImages } from './tools/images.js';
import { killContainer, pauseContainer, restartContainer, startContainer, stopContainer, unpauseContainer } from './tools/lifecycle.js';
import { pullImage } from './tools/pull.js';
import { removeContainer, removeImage } from './tools/remove.js';
import { containerStats } from './tools/stats.js';
import { listNetworks, listVolumes, systemInfo } from './tools/system.js';

const TOOLS: Record<Profile, ToolFactory[]> = {
  read: [listContainers, inspectContainer, containerLogs, containerStats, listImages, inspectImage, listNetworks, listVolumes, systemInfo, events],
  operate: [startContainer, stopContainer, restartContainer, killContainer, pauseContainer, unpauseContainer],
  admin: [createContainer, runContainer, execTool, removeContainer, pullImage, removeImage],
};

const plugin: PluginModule<DockerConfig> = {
  register(ctx: PluginContext<DockerConfig>) {
    const docker = new DockerInstance(ctx);
    for (const profile of ['read', 'operate', 'admin'] as const) {
      if (allows(ctx.config, profile)) for (const factory of TOOLS[profile]) ctx.tools.register(factory(docker));
    }
    const stopWatches = registerResources(docker);
    registerPrompts(docker);
    ctx.onDispose(stopWatches);
  },
};

export default plugin;
