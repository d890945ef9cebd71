// Baseline for tools/list: the SDK's low-level Server answering tools/list with the same tools the host
// exposes for the `many` fixture (same exposed names `<instance>__<tool>`, same schemas, same order).
// usage: node bare-list-server.mjs [instances] [toolsPerInstance]
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toolDefs } from '../fixtures/plugins/many/tools.js';
import { MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE, manyInstanceName } from '../lib/many.mjs';

const instances = Number(process.argv[2] ?? MANY_INSTANCES);
const perInstance = Number(process.argv[3] ?? MANY_TOOLS_PER_INSTANCE);
const tools = [];
for (let i = 0; i < instances; i++) {
  for (const def of toolDefs(perInstance)) tools.push({ ...def, name: `${manyInstanceName(i)}__${def.name}` });
}
// A server would build its list once, as the host caches its own.
tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const server = new Server({ name: 'bare-list', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
await server.connect(new StdioServerTransport());
