#!/usr/bin/env node
// The floor under worker isolation: a minimal stdio JSON-RPC server (no SDK, no host) answering an `echo` tool
// either on its main thread (`direct`) or by passing each call to a worker thread and its answer back
// (`worker`, one postMessage each way, as the host's worker isolation does). The difference between the two is
// what one thread hop costs on this machine, whatever the host does (bench/isolation).
// usage: node bench/servers/bare-thread-hop.mjs direct|worker
import { createInterface } from 'node:readline';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

const echo = (args) => ({ content: [{ type: 'text', text: String(args?.text ?? '') }] });

if (!isMainThread) {
  parentPort.on('message', ({ id, args }) => parentPort.postMessage({ id, result: echo(args) }));
} else {
  const mode = process.argv[2] === 'worker' ? 'worker' : 'direct';
  const reply = (id, result) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
  const worker = mode === 'worker' ? new Worker(new URL(import.meta.url)) : undefined;
  worker?.on('message', ({ id, result }) => reply(id, result));
  worker?.unref();
  createInterface({ input: process.stdin }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.id === undefined) return;
    if (message.method === 'initialize') {
      return reply(message.id, { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: `bare-${mode}`, version: '1.0.0' } });
    }
    if (message.method === 'tools/list') return reply(message.id, { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] });
    if (message.method !== 'tools/call') return process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } })}\n`);
    if (worker) worker.postMessage({ id: message.id, args: message.params.arguments });
    else reply(message.id, echo(message.params.arguments));
  });
}
