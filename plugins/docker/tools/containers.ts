/** list_containers and inspect_container. */
import { seg } from '../engine/engine.js';
import { textResult, table, unixToIso } from '../format/result.js';
import { containerName } from '../instance.js';
import { isManagedBy } from '../safety/managed.js';
import { redactArgs, redactDeep } from '../safety/redact.js';
import { containerIdSchema } from '../safety/refs.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';

const MAX_LISTED = 1000;

export const filtersSchema = {
  type: 'object',
  description: 'Engine filters, e.g. {"status": ["exited"], "label": ["app=web"], "name": ["api"]}',
  propertyNames: { pattern: '^[a-z][a-z-]{0,31}$' },
  additionalProperties: { type: 'array', items: { type: 'string', maxLength: 512 }, maxItems: 50 },
  maxProperties: 20,
} as const;

interface ListedContainer {
  Id: string;
  Names: string[];
  Image: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  Labels: Record<string, string> | null;
}

function ports(list: ListedContainer['Ports']): string {
  return list
    .map((p) => (p.PublicPort ? `${p.IP ?? ''}${p.IP ? ':' : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
    .join(', ');
}

export const listContainers: ToolFactory = (d) => ({
  name: 'list_containers',
  title: 'List containers',
  description:
    'Lists containers (running ones; all: true adds stopped ones) with id, name, image, state, status, published ports and whether this instance manages them. ' +
    'filters narrows on the Engine side (status, label, name, ancestor, network, ...).',
  inputSchema: {
    type: 'object',
    properties: { all: { type: 'boolean', default: false, description: 'Include stopped containers' }, filters: filtersSchema },
    additionalProperties: false,
  },
  annotations: READ_ONLY,
  handler: async ({ all, filters }: { all?: boolean; filters?: Record<string, string[]> }, extra) => {
    try {
      const list = await d.engine.call<ListedContainer[]>(
        { method: 'GET', path: '/containers/json', query: { all: all === true, filters: filters && Object.keys(filters).length > 0 ? filters : undefined } },
        extra.signal,
      );
      const shown = list.slice(0, MAX_LISTED);
      const containers = shown.map((c) => ({
        id: c.Id.slice(0, 12),
        name: containerName(c),
        image: c.Image,
        command: redactArgs(c.Command) as string,
        created: unixToIso(c.Created),
        state: c.State,
        status: c.Status,
        ports: ports(c.Ports ?? []),
        managed: isManagedBy(c.Labels, d.instanceId),
      }));
      const lines = [
        table(['ID', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'PORTS', 'MANAGED'], containers.map((c) => [c.id, c.name, c.image, c.state, c.status, c.ports, c.managed ? 'yes' : 'no'])),
        `(${list.length} container${list.length === 1 ? '' : 's'}${all ? '' : ', running only; all: true shows stopped ones too'})`,
      ];
      if (list.length > MAX_LISTED) lines.push(`truncated: showing ${MAX_LISTED} of ${list.length}; narrow with filters.`);
      return textResult(lines.join('\n'), { containers, count: list.length, truncated: list.length > MAX_LISTED });
    } catch (error) {
      return d.failure(error);
    }
  },
});

export const inspectContainer: ToolFactory = (d) => ({
  name: 'inspect_container',
  title: 'Inspect a container',
  description: 'The Engine\'s full description of one container (config, state, mounts, network), with secret-looking values (env vars named like PASSWORD/TOKEN/SECRET/KEY, credentials in URLs and flags) redacted.',
  inputSchema: { type: 'object', properties: { id: containerIdSchema }, required: ['id'], additionalProperties: false },
  annotations: READ_ONLY,
  handler: async ({ id }: { id: string }, extra) => {
    try {
      const info = await d.engine.call({ method: 'GET', path: `/containers/${seg(id)}/json` }, extra.signal);
      const redacted = redactDeep(info) as Record<string, unknown>;
      return textResult(JSON.stringify(redacted, null, 2), { container: redacted });
    } catch (error) {
      return d.failure(error);
    }
  },
});
