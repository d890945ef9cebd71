/** One shared Ajv (JSON Schema 2020-12, also accepts draft-07 schemas) and readable error messages with JSON paths. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives nested under NodeNext resolution.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, useDefaults: true, validateSchema: false }));

export type Validator = (value: unknown) => string[];
const compiledByText = new Map<string, ValidateFunction>();

/**
 * Compiles a schema once. The returned function gives `[]` for a valid value, else one message
 * per problem, each prefixed with its path (`plugins.hello.config.greeting: must be string`).
 * Defaults declared in the schema are filled into the value.
 */
export function compileValidator(schema: object, pathPrefix = ''): Validator {
  const { $schema: _ignored, $id: _id, ...body } = schema as Record<string, unknown>;
  // Ajv keeps every compiled schema for good; reloads re-register the same schemas, so reuse them by text.
  const key = JSON.stringify(body);
  const validate = compiledByText.get(key) ?? ajv.compile(body);
  compiledByText.set(key, validate);
  return (value) => (validate(value) ? [] : formatErrors(validate.errors ?? [], pathPrefix));
}

export function formatErrors(errors: ErrorObject[], pathPrefix: string): string[] {
  // A bad key (propertyNames) comes as the inner error, which carries the key, plus a vague summary: keep the first.
  const messages = errors.filter((e) => e.keyword !== 'propertyNames').map((e) => {
    const path = joinPath(pathPrefix, e.instancePath);
    if (e.propertyName !== undefined) return `${joinPath(path, '/' + e.propertyName.replace(/~/g, '~0').replace(/\//g, '~1'))}: invalid name: ${e.message ?? e.keyword}`;
    if (e.keyword === 'required') return `${joinPath(path, '/' + String(e.params.missingProperty))}: required`;
    if (e.keyword === 'additionalProperties') return `${joinPath(path, '/' + String(e.params.additionalProperty))}: unknown key`;
    if (e.keyword === 'enum') return `${path || '(root)'}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    return `${path || '(root)'}: ${e.message ?? e.keyword}`;
  });
  return [...new Set(messages)];
}

function joinPath(prefix: string, pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [prefix, ...parts].filter((p) => p !== '').join('.');
}
