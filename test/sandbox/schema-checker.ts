import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** OVH's schema files live in shared/ovh-api beside the repository clone. */
export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ovh-api');

interface Property {
  type: string;
  fullType?: string;
  canBeNull: boolean;
}
interface Model {
  properties?: Record<string, Property>;
  enum?: (string | number)[];
  generics?: string[];
}
interface Operation {
  httpMethod: string;
  responseType: string;
}
interface SchemaFile {
  apis: { path: string; operations: Operation[] }[];
  models: Record<string, Model>;
}

export interface OvhSchema {
  models: Record<string, Model>;
  responseType(method: string, concretePath: string): string;
}

export function loadSchemas(): OvhSchema | null {
  const files = ['sms.json', 'me.json'].map((name) => path.join(SCHEMA_DIR, name));
  if (!files.every((file) => existsSync(file))) return null;
  const parsed = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as SchemaFile);
  const models = Object.assign({}, ...parsed.map((schema) => schema.models)) as Record<string, Model>;
  const apis = parsed.flatMap((schema) => schema.apis);
  return {
    models,
    responseType(method, concretePath) {
      const segments = concretePath.split('?')[0]!.split('/');
      const matches = apis.filter((api) => {
        const template = api.path.split('/');
        return template.length === segments.length && template.every((part, index) => part.startsWith('{') || part === segments[index]);
      });
      // A literal segment beats a {parameter} one (e.g. /me/document/cors vs /me/document/{id}).
      matches.sort((a, b) => a.path.split('{').length - b.path.split('{').length);
      for (const api of matches) {
        const operation = api.operations.find((candidate) => candidate.httpMethod === method);
        if (operation) return operation.responseType;
      }
      throw new Error(`No ${method} ${concretePath} in OVH's schema`);
    },
  };
}

const STRINGS = new Set(['string', 'text', 'uuid', 'phoneNumber', 'internationalPhoneNumber', 'password', 'ip', 'ipBlock']);

/** Problems of `value` against OVH type `type` (property names, types per fullType, canBeNull). Empty when it matches. */
export function checkValue(schema: OvhSchema, type: string, value: unknown, where = '$', bindings: Record<string, string> = {}): string[] {
  const bound = bindings[type] ?? type;
  if (bound === 'void') return value === null ? [] : [`${where}: expected no content`];
  if (bound.endsWith('[]')) {
    if (!Array.isArray(value)) return [`${where}: expected array of ${bound.slice(0, -2)}`];
    return value.flatMap((item, index) => checkValue(schema, bound.slice(0, -2), item, `${where}[${index}]`, bindings));
  }
  if (bound.startsWith('map[string]')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: expected object map`];
    return Object.entries(value).flatMap(([key, item]) =>
      checkValue(schema, bound.slice('map[string]'.length), item, `${where}.${key}`, bindings),
    );
  }
  if (STRINGS.has(bound)) return typeof value === 'string' ? [] : [`${where}: expected ${bound} string`];
  if (bound === 'datetime' || bound === 'date') {
    return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? [] : [`${where}: expected ${bound}`];
  }
  if (bound === 'long' || bound === 'int') return Number.isInteger(value) ? [] : [`${where}: expected integer`];
  if (bound === 'double') return typeof value === 'number' ? [] : [`${where}: expected number`];
  if (bound === 'boolean') return typeof value === 'boolean' ? [] : [`${where}: expected boolean`];

  const generic = /^(.+)<(.+)>$/.exec(bound);
  const modelName = generic ? `${generic[1]}<T>` : bound;
  const model = schema.models[modelName];
  if (!model) return [`${where}: unknown OVH type ${bound}`];
  if (model.enum) return model.enum.includes(value as string) ? [] : [`${where}: ${JSON.stringify(value)} is not in ${bound}`];
  const innerBindings = generic ? { ...bindings, [model.generics?.[0] ?? 'T']: generic[2]! } : bindings;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: expected ${bound} object`];
  const record = value as Record<string, unknown>;
  const properties = model.properties ?? {};
  const problems = Object.keys(record)
    .filter((key) => !(key in properties))
    .map((key) => `${where}.${key}: not a property of ${bound}`);
  for (const [name, property] of Object.entries(properties)) {
    const at = `${where}.${name}`;
    if (!(name in record)) {
      problems.push(`${at}: missing`);
      continue;
    }
    if (record[name] === null) {
      if (!property.canBeNull) problems.push(`${at}: null but not canBeNull`);
      continue;
    }
    problems.push(...checkValue(schema, property.fullType ?? property.type, record[name], at, innerBindings));
  }
  return problems;
}
