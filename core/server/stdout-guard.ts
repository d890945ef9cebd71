/**
 * stdout is the MCP channel: only JSON-RPC may reach it. From the moment this is installed,
 * `process.stdout.write` (and so console.log/info/debug, from any plugin, at any time) goes to
 * stderr; the returned writer is the only way left to the real stdout, and the transport owns it.
 */
export interface ProtocolOut {
  write(chunk: string): boolean;
  /** Writes the parts in order in one system call where it can; false when stdout is full (wait for drain). */
  writeAll(parts: readonly (string | Uint8Array)[]): boolean;
  onceDrain(listener: () => void): void;
}

let installed: ProtocolOut | undefined;

export function installStdoutGuard(): ProtocolOut {
  if (installed) return installed;
  const stdout = process.stdout;
  const realWrite = stdout.write.bind(stdout);
  const toStderr = ((chunk: unknown, encoding?: unknown, callback?: unknown) =>
    process.stderr.write(chunk as string, encoding as BufferEncoding, callback as () => void)) as typeof stdout.write;
  stdout.write = toStderr;
  installed = {
    write: (chunk) => realWrite(chunk),
    writeAll: (parts) => {
      // Corked, the parts leave together on uncork (one writev), not one system call (and client wake-up) each.
      stdout.cork();
      for (const part of parts) realWrite(part);
      stdout.uncork();
      return !stdout.writableNeedDrain;
    },
    onceDrain: (listener) => stdout.once('drain', listener),
  };
  return installed;
}
