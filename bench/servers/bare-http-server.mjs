// Baseline for the HTTP bench: a bare SDK Streamable HTTP server (node:http), the same echo tool as bare-sdk-server.mjs.
// usage: node bare-http-server.mjs [--stateless]; prints "listening on http://127.0.0.1:PORT/mcp" to stderr.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const stateless = process.argv.includes('--stateless');
const sessions = new Map();

function mcpServer() {
  const server = new McpServer({ name: 'bare-sdk-http', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

const http = createServer(async (req, res) => {
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  if (stateless) {
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close() && void server.close());
    await server.connect(transport);
    return transport.handleRequest(req, res, body);
  }
  const id = req.headers['mcp-session-id'];
  let transport = id ? sessions.get(id) : undefined;
  if (!transport && !id && isInitializeRequest(body)) {
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => sessions.set(sid, transport) });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await mcpServer().connect(transport);
  }
  if (!transport) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No session' }, id: null }));
    return;
  }
  return transport.handleRequest(req, res, body);
});
http.keepAliveTimeout = 65_000;
http.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`));
process.on('SIGTERM', () => process.exit(0));
