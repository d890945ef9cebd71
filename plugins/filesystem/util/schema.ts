/** JSON Schema fragments shared by the tools' input schemas. */
export const PATH = { type: 'string', minLength: 1, maxLength: 4096 } as const;

export function pathProp(description: string) {
  return { ...PATH, description };
}

export function intProp(description: string, minimum: number, maximum: number) {
  return { type: 'integer', minimum, maximum, description } as const;
}

export function objectSchema(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false };
}
