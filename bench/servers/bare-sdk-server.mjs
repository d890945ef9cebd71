// Baseline: the SDK's high-level McpServer with one echo tool, as a plugin-less MCP server would be written.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare-sdk', version: '1.0.0' });
server.registerTool('echo', { description: 'Echoes its input.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
await server.connect(new StdioServerTransport());
