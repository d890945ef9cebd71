import type { HostConfig } from '../config/config-types.js';
import type { Host } from '../host.js';
import type { HostChannel } from '../plugins/host-channel.js';
import { FileWatcher, type FileChanges } from './watch-files.js';

/**
 * Turns file changes (and SIGHUP) into reloads: a plugins.json or .env edit re-applies the config to
 * the instances that changed; an edit in a plugin folder reloads that plugin's instances with the new
 * code. Each burst holds list_changed notifications until everything it touched has settled, so the
 * client gets one notification per kind per burst.
 */
export class Reloader {
  private watcher?: FileWatcher;

  constructor(
    private readonly host: Host,
    private readonly channel: HostChannel,
    private readonly onConfig: (config: HostConfig) => void,
  ) {}

  /** Starts watching; resolves once the watchers are ready. */
  async watch(): Promise<void> {
    this.watcher = new FileWatcher({
      configPath: this.host.config.path,
      pluginRoots: this.host.manager.pluginRoots(),
      onChange: (changes) => void this.apply(changes),
      onError: (error) => this.host.logger.warn(`file watching: ${(error as Error)?.message ?? String(error)}`),
    });
    await this.watcher.ready();
    this.host.logger.info('watching plugins.json, .env and plugin folders for changes');
  }

  /** Reloads the config and every plugin (SIGHUP). */
  async reloadAll(): Promise<void> {
    const release = this.channel.holdNotifications();
    try {
      await this.reloadConfig();
      await this.host.manager.reloadAll();
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }

  async apply(changes: FileChanges): Promise<void> {
    const release = this.channel.holdNotifications();
    try {
      const work: Promise<unknown>[] = [];
      if (changes.config) work.push(this.reloadConfig());
      if (changes.pluginDirs.size > 0) work.push(this.host.manager.pluginFilesChanged(changes.pluginDirs));
      await Promise.all(work);
    } catch (error) {
      this.host.logger.error(`reload failed: ${(error as Error)?.stack ?? String(error)}`);
    } finally {
      release();
    }
  }

  private async reloadConfig(): Promise<void> {
    // reloadConfig reads and swaps the config before it first waits: its settings apply at once,
    // while the touched instances settle within this burst.
    const applying = this.host.reloadConfig();
    this.onConfig(this.host.config);
    this.watcher?.setRoots(this.host.manager.pluginRoots());
    const diff = await applying;
    if (diff) {
      const touched = [...diff.added, ...diff.removed, ...diff.changed].map((i) => i.id);
      this.host.logger.info(`plugins.json applied${touched.length ? `: ${touched.join(', ')}` : ' (no instance changed)'}`);
    }
  }
}
