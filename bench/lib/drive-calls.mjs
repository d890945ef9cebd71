// Keeps `concurrency` tools/call requests in flight until `total` are answered or the deadline passes.
import { performance } from 'node:perf_hooks';

/**
 * Request lines are built by string concatenation (no JSON.stringify per call) so the client
 * costs little; replies are parsed once by the server process reader.
 */
export function driveCalls(server, { tool, args, total, concurrency, timeLimitMs }) {
  const suffix = `,"method":"tools/call","params":${JSON.stringify({ name: tool, arguments: args })}}\n`;
  const started = performance.now();
  const deadline = started + timeLimitMs;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let errors = 0;
    let firstError;
    let failed = false;
    const onReply = (message, at, error) => {
      if (failed) return;
      if (error) {
        failed = true;
        reject(error);
        return;
      }
      done++;
      if (message.error || message.result?.isError) {
        errors++;
        firstError ??= JSON.stringify(message.error ?? message.result).slice(0, 300);
      }
      if (sent < total && at < deadline) send();
      else if (done === sent) resolve({ done, errors, firstError, ms: performance.now() - started, timedOut: sent < total });
    };
    const send = () => {
      const id = server.nextId++;
      sent++;
      server.sendRaw(id, `{"jsonrpc":"2.0","id":${id}${suffix}`, onReply);
    };
    for (let i = 0; i < concurrency && sent < total; i++) send();
    if (sent === 0) resolve({ done: 0, errors: 0, ms: 0, timedOut: false });
  });
}
