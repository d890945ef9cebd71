/**
 * The built-in `filesystem` plugin: read, search and (when allowed) edit files inside configured roots,
 * safe against a hostile model's path tricks. It imports nothing from the host at run time.
 */
import { statSync } from 'node:fs';
import type { PluginContext, PluginModule } from '../../core/api/index.js';
import type { FsConfig } from './config.js';
import { fileTemplate } from './resources/file-template.js';
import { WatchHub } from './resources/watch-hub.js';
import { DenyRules } from './safety/deny.js';
import { PathResolver } from './safety/resolver.js';
import { RootSet } from './safety/roots.js';
import { ScanPool } from './scan/pool.js';
import type { FsServices, ToolFactory } from './services.js';
import { createDirectory } from './tools/create-directory.js';
import { directoryTree } from './tools/directory-tree.js';
import { editFile } from './tools/edit-file.js';
import { findFiles } from './tools/find-files.js';
import { getFileInfo } from './tools/get-file-info.js';
import { listDirectory } from './tools/list-directory.js';
import { listRoots } from './tools/list-roots.js';
import { moveFile } from './tools/move-file.js';
import { readMediaFile } from './tools/read-media-file.js';
import { readMultipleFiles } from './tools/read-multiple-files.js';
import { readStructured } from './tools/read-structured.js';
import { readTextFile } from './tools/read-text-file.js';
import { searchContent } from './tools/search-content.js';
import { writeFile } from './tools/write-file.js';

const READ_TOOLS: ToolFactory[] = [
  listRoots,
  readTextFile,
  readMediaFile,
  readMultipleFiles,
  readStructured,
  listDirectory,
  directoryTree,
  findFiles,
  searchContent,
  getFileInfo,
];
const WRITE_TOOLS: ToolFactory[] = [writeFile, editFile, createDirectory, moveFile];

const plugin: PluginModule<FsConfig> = {
  register(ctx: PluginContext<FsConfig>) {
    const config = ctx.config;
    const deny = new DenyRules(config.deny);
    const roots = new RootSet(
      config.roots.map((r) => ctx.resolvePath(r)),
      ctx.client,
      ctx.logger,
    );
    const pool = new ScanPool();
    const services: FsServices = { config, roots, resolver: new PathResolver(deny), deny, pool, logger: ctx.logger };
    for (const factory of config.readOnly ? READ_TOOLS : [...READ_TOOLS, ...WRITE_TOOLS]) ctx.tools.register(factory(services));

    const hub = new WatchHub(
      (uri) => ctx.resources.notifyUpdated(uri),
      (message) => ctx.logger.warn(message),
    );
    ctx.resources.registerTemplate(fileTemplate(services, hub));

    const stopListening = ctx.client.onRootsChanged(() => roots.invalidateClientRoots());
    ctx.onDispose(async () => {
      stopListening();
      hub.closeAll();
      await pool.close();
    });
  },

  start(ctx: PluginContext<FsConfig>) {
    const missing = ctx.config.roots.filter((r) => !existsDir(ctx.resolvePath(r)));
    if (missing.length > 0) ctx.status.warn(`root folder(s) not found: ${missing.join(', ')}`);
  },
};

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export default plugin;
