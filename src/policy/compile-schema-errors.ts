/**
 * Turns TypeBox validation errors into findings a person can act on. TypeBox reports unions
 * as "Expected union value"; here a union is resolved to the variant the author evidently
 * meant (by YAML type, then by the `kind` discriminator) and that variant's own errors are
 * reported, so `retention: forever` says which words are allowed rather than that "a
 * union" failed.
 */
import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { didYouMean } from './compile-suggestions.js';
import { formatPath, type Finding, type PolicyPath } from './diagnostics.js';
import { ERROR_CODE, isLocalizedTextSchema } from './schema.js';

/** All schema findings for `value`, at most one per path. */
export function schemaFindings(schema: TSchema, value: unknown): Finding[] {
  const findings = translateAll(Value.Errors(schema, value));
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${formatPath(f.path)}|${f.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function translateAll(errors: Iterable<ValueError>): Finding[] {
  const findings: Finding[] = [];
  for (const error of errors) findings.push(...translate(error));
  return findings;
}

function parsePointer(pointer: string): PolicyPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const codeOf = (schema: TSchema, fallback: string): string =>
  ((schema as unknown as Record<symbol, unknown>)[ERROR_CODE] as string | undefined) ?? fallback;

const literalsOf = (schema: TSchema): string[] | undefined => {
  const variants = schema.anyOf as TSchema[] | undefined;
  if (!variants || !variants.every((v) => typeof v.const === 'string')) return undefined;
  return variants.map((v) => v.const as string);
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${String(value)}`;
}

function describeSchema(schema: TSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const literals = literalsOf(schema);
  if (literals && literals.length <= 16) return `one of ${literals.join(', ')}`;
  if (isLocalizedTextSchema(schema)) return 'localized text {en, ru, kk}';
  if (schema.title) return String(schema.title);
  switch (schema.type) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a map';
    case 'number':
    case 'integer':
      return 'a number';
    default:
      return 'a valid value';
  }
}

function yamlType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'number' ? 'number' : typeof value;
}

function schemaAccepts(schema: TSchema, type: string): boolean {
  if (schema.anyOf) return (schema.anyOf as TSchema[]).some((v) => schemaAccepts(v, type));
  if (schema.const !== undefined) return yamlType(schema.const) === type;
  const expected = schema.type === 'integer' ? 'number' : schema.type;
  return expected === type;
}

function translate(error: ValueError): Finding[] {
  const path = parsePointer(error.path);
  const field = formatPath(path) || 'the policy';
  const schema = error.schema;
  const finding = (code: string, message: string, at?: 'key'): Finding => ({
    severity: 'error',
    code: codeOf(schema, code),
    path,
    message,
    ...(at ? { at } : {}),
  });

  // A missing required key also yields a type error for `undefined`; the missing-field
  // finding says it better.
  if (error.value === undefined && error.type !== ValueErrorType.ObjectRequiredProperty) return [];

  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty: {
      const key = path.at(-1);
      const hint = schema.description ? ` (${schema.description})` : '';
      return [finding('missing-field', `${field} is required: add "${String(key)}"${hint}`)];
    }
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = String(path.at(-1));
      const known = Object.keys((schema.properties ?? {}) as object);
      // `{en: Red, green}` parses as {en: 'Red', green: null}: a comma ended the text.
      const parent = formatPath(path.slice(0, -1)) || 'the policy';
      if (error.value === null && (isLocalizedTextSchema(schema) || /\s/.test(key))) {
        return [
          finding('unknown-field', `${parent}: "${key}" reads as a key because a comma ends a value inside {…}; quote the text`, 'key'),
        ];
      }
      const suggestion = didYouMean(key, known);
      const allowed = suggestion ? '' : `; allowed here: ${known.join(', ')}`;
      return [finding('unknown-field', `${parent}: unknown field "${key}"${suggestion}${allowed}`, 'key')];
    }
    case ValueErrorType.ObjectMinProperties:
      return isLocalizedTextSchema(schema)
        ? [finding('empty-text', `${field} needs text in at least one locale (en, ru, kk)`)]
        : [finding('invalid-value', `${field} must not be empty`)];
    case ValueErrorType.ArrayMinItems:
      return [finding('too-few-items', `${field} must list at least ${String(schema.minItems)} item(s)`)];
    case ValueErrorType.StringMinLength:
      return [finding('invalid-value', `${field} must not be empty`)];
    case ValueErrorType.StringPattern: {
      const examples = Array.isArray(schema.examples) ? ` (e.g. ${schema.examples.slice(0, 3).join(', ')})` : '';
      return [finding('invalid-format', `${field}: ${describeValue(error.value)} is not a valid ${describeSchema(schema)}${examples}`)];
    }
    case ValueErrorType.Union:
      return translateUnion(error, path, field);
    case ValueErrorType.String: {
      const quote =
        typeof error.value === 'number' || typeof error.value === 'boolean'
          ? `; quote it ("${String(error.value)}") to keep it as text`
          : '';
      return [finding('invalid-type', `${field}: expected ${describeSchema(schema)}, found ${describeValue(error.value)}${quote}`)];
    }
    case ValueErrorType.Boolean: {
      const hint = typeof error.value === 'string' ? '; write true or false (YAML 1.2 reads yes/no as text)' : '';
      return [finding('invalid-type', `${field}: expected true or false, found ${describeValue(error.value)}${hint}`)];
    }
    case ValueErrorType.Literal:
      return [finding('invalid-value', `${field}: expected ${describeSchema(schema)}, found ${describeValue(error.value)}`)];
    case ValueErrorType.Array:
    case ValueErrorType.Object:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
      return [finding('invalid-type', `${field}: expected ${describeSchema(schema)}, found ${describeValue(error.value)}`)];
    default:
      return [finding('invalid-value', `${field}: ${error.message}`)];
  }
}

function translateUnion(error: ValueError, path: PolicyPath, field: string): Finding[] {
  const schema = error.schema;
  const variants = schema.anyOf as TSchema[];
  const value = error.value;
  const literals = literalsOf(schema);
  const finding = (code: string, message: string): Finding => ({
    severity: 'error',
    code: codeOf(schema, code),
    path,
    message,
  });

  if (literals) {
    if (typeof value !== 'string') {
      return [finding('invalid-type', `${field}: expected ${describeSchema(schema)}, found ${describeValue(value)}`)];
    }
    const listing = literals.length <= 16 ? `; expected one of ${literals.join(', ')}` : '';
    return [finding('invalid-value', `${field}: "${value}" is not a ${String(schema.title ?? 'valid value')}${didYouMean(value, literals)}${listing}`)];
  }

  let candidates = variants.map((_, i) => i).filter((i) => schemaAccepts(variants[i]!, yamlType(value)));
  if (candidates.length > 1 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const kinds = candidates.map((i) => (variants[i]!.properties as Record<string, TSchema> | undefined)?.kind?.const);
    if (kinds.every((k) => typeof k === 'string')) {
      const kind = (value as Record<string, unknown>).kind;
      const chosen = candidates.filter((_, n) => kinds[n] === kind);
      if (chosen.length !== 1) {
        const allowed = kinds.join(', ');
        return kind === undefined
          ? [{ severity: 'error', code: 'missing-field', path: [...path, 'kind'], message: `${field} is required to have "kind": one of ${allowed}` }]
          : [{ severity: 'error', code: 'invalid-value', path: [...path, 'kind'], message: `${formatPath([...path, 'kind'])}: "${String(kind)}" is not one of ${allowed}` }];
      }
      candidates = chosen;
    }
  }
  if (candidates.length === 1) return translateAll(error.errors[candidates[0]!]!);

  const expected = variants.map(describeSchema).join(' or ');
  return [finding(yamlType(value) === 'string' ? 'invalid-value' : 'invalid-type', `${field}: expected ${expected}, found ${describeValue(value)}`)];
}
