/** The strict schema of plugin.json: unknown keys are refused so typos surface before any code loads. */
export const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'hostApi', 'main'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 },
    name: { type: 'string' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    hostApi: { type: 'string', minLength: 1 },
    main: { type: 'string', minLength: 1 },
    configSchema: { type: 'object' },
    author: { type: 'string' },
    license: { type: 'string' },
    homepage: { type: 'string' },
    keywords: { type: 'array', items: { type: 'string' } },
  },
} as const;
