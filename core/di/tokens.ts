/** Tokens of core services (internal). Public tokens for plugins live in core/api/tokens.ts. */
import type { DependencyContainer } from 'tsyringe';
import type { HostConfig } from '../config/config-types.js';
import type { CallPolicies } from '../limits/call-policies.js';
import type { HostLogger } from '../logging/create-logger.js';
import type { HostChannel } from '../plugins/host-channel.js';
import type { ModuleLoader } from '../plugins/module-loader.js';
import type { Registry } from '../registry/registry.js';
import type { ToolCatalog } from '../server/tool-catalog.js';
import { token } from './token.js';

export const CONFIG = token<HostConfig>('core:Config');
export const LOGGER = token<HostLogger>('core:Logger');
export const REGISTRY = token<Registry>('core:Registry');
export const MODULE_LOADER = token<ModuleLoader>('core:ModuleLoader');
export const CHANNEL = token<HostChannel>('core:Channel');
export const ROOT_CONTAINER = token<DependencyContainer>('core:RootContainer');
export const BUILTIN_PLUGIN_DIR = token<string>('core:BuiltinPluginDir');
export const TOOL_CATALOG = token<ToolCatalog>('core:ToolCatalog');
export const CALL_POLICIES = token<CallPolicies>('core:CallPolicies');
