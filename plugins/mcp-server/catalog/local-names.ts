/**
 * The host accepts tool and prompt names of `[a-zA-Z0-9_-]` only (clients reject others); MCP servers
 * may use dots and slashes (`github.search/issues`). Each server name gets a stable local name:
 * other characters become `_`, and a clash gets a numeric suffix. The handler keeps the server's name.
 */
export class LocalNames {
  private readonly byServerName = new Map<string, string>();
  private readonly taken = new Set<string>();

  local(serverName: string): string {
    const known = this.byServerName.get(serverName);
    if (known !== undefined) return known;
    const base = serverName.replace(/[^a-zA-Z0-9_-]/g, '_') || 'unnamed';
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.byServerName.set(serverName, name);
    this.taken.add(name);
    return name;
  }

  /** The server dropped this name: its local name is free again. */
  release(serverName: string): void {
    const name = this.byServerName.get(serverName);
    if (name === undefined) return;
    this.byServerName.delete(serverName);
    this.taken.delete(name);
  }
}
