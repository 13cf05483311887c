/**
 * Bad requests derived from a route's own OpenAPI schema, as fast-check arbitraries.
 *
 * Every request starts from a schema-valid baseline (real ids in the path, so the request
 * gets as far as body validation) and breaks it in one way:
 *
 * - a *schema* mutation the validator must refuse with 400 naming the field — a missing
 *   required field, a wrong type, an unknown field, a string or number out of its bounds,
 *   an odd key — optionally with odd strings sprinkled into other fields of the same part;
 * - a *request* mutation: a bad path parameter (format, encoding, length), a bad query
 *   string, malformed JSON, an unsupported or huge body, a wrong or missing API key, a
 *   method the path does not serve;
 * - a *semantic* mutation that passes the schema but names nothing that exists: an
 *   undeclared policy id, an unknown subject or record id.
 *
 * Odd strings carry a marker (`zQ…`) and must never come back in the response.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  $ref?: string;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  method: string;
  /** Fastify syntax, `/v1/subjects/:id`. */
  url: string;
  /** Methods the same path serves, so a "wrong method" is really wrong. */
  pathMethods: string[];
  params: OpenApiParameter[];
  query: OpenApiParameter[];
  body?: JsonSchema;
  public: boolean;
}

/** Real records for path parameters and plausible values for policy references. */
export interface Fixtures {
  /** A real record's id for a path parameter (`/v1/consents/:id` → a consent id); undefined: any well-formed value. */
  param(url: string, name: string): string | undefined;
  /** A plausible value for a field by its name (`purpose` → `marketing`), else undefined. */
  hint(field: string): unknown;
  /** An admin key's Authorization header. */
  authorization: string;
}

export type Expectation =
  /** The validator (or the body parser, or the router, or auth) must refuse it. */
  | { kind: 'reject'; status: readonly number[]; code?: string; field?: string }
  /** Schema-valid but names nothing that exists: refused, or for a read, harmless. */
  | { kind: 'refuse-or-read' }
  /** A read with junk around it: anything but a server error. */
  | { kind: 'no-server-error' };

export interface BadRequest {
  mutation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  expect: Expectation;
  /** Strings that must not appear in the response. */
  secrets: string[];
}

export const BODY_LIMIT = 1_048_576;
const POLICY_REF = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

export function operations(doc: OpenApiDocument): Operation[] {
  const result: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    const pathMethods = Object.keys(item).map((m) => m.toUpperCase());
    for (const [method, op] of Object.entries(item)) {
      const parameters = (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(doc, p.schema) }));
      const json = op.requestBody?.content['application/json']?.schema;
      result.push({
        method: method.toUpperCase(),
        url,
        pathMethods,
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: json ? deref(doc, json) : undefined,
        public: !op.security || op.security.length === 0,
      });
    }
  }
  return result;
}

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
  return resolve(doc, target);
}

/** The schema with every `$ref` replaced by its target. */
function deref(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const s = resolve(doc, schema);
  return {
    ...s,
    ...(s.properties ? { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, deref(doc, v)])) } : {}),
    ...(s.items ? { items: deref(doc, s.items) } : {}),
    ...(typeof s.additionalProperties === 'object' ? { additionalProperties: deref(doc, s.additionalProperties) } : {}),
    ...(s.anyOf ? { anyOf: s.anyOf.map((x) => deref(doc, x)) } : {}),
    ...(s.oneOf ? { oneOf: s.oneOf.map((x) => deref(doc, x)) } : {}),
  };
}

// ---- schema facts --------------------------------------------------------------------

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** The JSON types a schema admits; undefined = any. */
function allowedTypes(schema: JsonSchema): Set<JsonType> | undefined {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const sets = branches.map(allowedTypes);
    if (sets.some((s) => s === undefined)) return undefined;
    return new Set(sets.flatMap((s) => [...s!]));
  }
  const types = schema.type === undefined ? undefined : (Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[];
  if (!types) return schema.enum || schema.const !== undefined ? new Set(['string']) : undefined;
  const set = new Set(types);
  if (schema.nullable) set.add('null');
  return set;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function admits(types: Set<JsonType>, value: unknown): boolean {
  const t = typeOf(value);
  return types.has(t) || (t === 'integer' && types.has('number'));
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
  date: /^\d{4}-\d\d-\d\d$/,
};

/** True when `value` certainly breaks the string schema (as ajv counts: code points). */
function breaksString(schema: JsonSchema, value: string): boolean {
  const length = [...value].length;
  if (schema.enum && !schema.enum.includes(value)) return true;
  if (schema.const !== undefined && schema.const !== value) return true;
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return true;
  if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value)) return true;
  if (schema.maxLength !== undefined && length > schema.maxLength) return true;
  if (schema.minLength !== undefined && length < schema.minLength) return true;
  return false;
}

function isStringSchema(schema: JsonSchema): boolean {
  const types = allowedTypes(schema);
  return types !== undefined && types.has('string') && !schema.anyOf && !schema.oneOf;
}

// ---- valid values --------------------------------------------------------------------

const PATTERN_CANDIDATES = ['orders', 'P1Y', 'KZ', '1', 'a'.repeat(64), 'x', 'email:fuzz@example.kz'];

/** A value the schema admits; `full` includes every optional property. */
function sample(schema: JsonSchema, fixtures: Fixtures, name: string, full: boolean): unknown {
  const hinted = fixtures.hint(name);
  if (hinted !== undefined && valueFits(schema, hinted)) return hinted;
  const branch = (schema.anyOf ?? schema.oneOf)?.find((b) => allowedTypes(b)?.has('null') !== true) ?? (schema.anyOf ?? schema.oneOf)?.[0];
  if (branch) return sample(branch, fixtures, name, full);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const types = allowedTypes(schema);
  const type = types ? [...types].find((t) => t !== 'null') ?? 'null' : 'string';
  switch (type) {
    case 'object': {
      const object: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (full || required.has(key) || Object.keys(object).length < (schema.minProperties ?? 0)) object[key] = sample(property, fixtures, key, full);
      }
      return object;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => sample(schema.items ?? {}, fixtures, name, full));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.format === 'date') return '2026-01-01';
      const candidates = schema.pattern ? PATTERN_CANDIDATES : ['x'.repeat(Math.max(1, schema.minLength ?? 1))];
      const fit = candidates.find((c) => !breaksString(schema, c));
      if (fit === undefined) throw new Error(`no sample string for ${JSON.stringify(schema)}`);
      return fit;
    }
  }
}

function valueFits(schema: JsonSchema, value: unknown): boolean {
  const types = allowedTypes(schema);
  if (types && !admits(types, value)) return false;
  if (typeof value === 'string' && isStringSchema(schema)) return !breaksString(schema, value);
  if (Array.isArray(value)) return value.every((v) => valueFits(schema.items ?? {}, v));
  return true;
}

// ---- sites: every place in a value a mutation can land ---------------------------------

type Pointer = (string | number)[];

interface Site {
  pointer: Pointer;
  schema: JsonSchema;
  /** The nearest property name, for "details name the field". */
  name?: string;
  required: boolean;
}

function sites(schema: JsonSchema, value: unknown, pointer: Pointer = [], name?: string, required = true): Site[] {
  const here: Site = { pointer, schema, name, required };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    const requiredKeys = new Set(schema.required ?? []);
    return [here, ...Object.entries(schema.properties).flatMap(([key, property]) => (key in (value as object) ? sites(property, (value as Record<string, unknown>)[key], [...pointer, key], key, requiredKeys.has(key)) : []))];
  }
  if (Array.isArray(value) && schema.items) return [here, ...value.flatMap((v, i) => sites(schema.items!, v, [...pointer, i], name, true))];
  return [here];
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setAt(root: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.length === 0) return value;
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of pointer.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[pointer[pointer.length - 1]] = value;
  return copy;
}

function deleteAt(root: unknown, pointer: Pointer): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of pointer.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  delete node[pointer[pointer.length - 1]];
  return copy;
}

const related = (a: Pointer, b: Pointer) => a.slice(0, b.length).join('/') === b.slice(0, a.length).join('/');

// ---- odd strings -----------------------------------------------------------------------

/** A marker that looks like nothing in a response unless echoed. */
const marker = fc.stringMatching(/^[a-z0-9]{10}$/).map((s) => `zQ${s}`);

const ODD_PIECES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '😀👍🏽',
  '\u202e\u200b\ufeff',
  'е́',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00%E0%A4%A',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'aigerim@example.kz',
  '+7 701 555 0101',
  '\r\nX-Injected: 1',
  ' ',
];

/** An odd string with a marker in it; sometimes 100k characters long. */
const oddString = fc
  .tuple(marker, fc.constantFrom(...ODD_PIECES), fc.constantFrom(...ODD_PIECES), fc.constantFrom(0, 0, 0, 100_000))
  .map(([m, a, b, pad]) => ({ value: `${a}${m}${b}${'é'.repeat(pad)}`, marker: m }));

const strings = (value: string, m: string) => [m, ...(value.length >= 40 ? [value.slice(0, 40), JSON.stringify(value).slice(1, 41)] : [])];

/**
 * Odd strings the schema certainly refuses — the odd string itself, else its marker after a
 * NUL, else one character longer than allowed — with what must not be echoed. Undefined
 * for a free-text field that refuses none of them, so no generator waits for a value that
 * never comes.
 */
function refusedStrings(schema: JsonSchema): fc.Arbitrary<{ value: string; secrets: string[] }> | undefined {
  const longer = (m: string) => (schema.maxLength !== undefined ? `${m}${'é'.repeat(schema.maxLength + 1)}` : undefined);
  // Markers differ only in their [a-z0-9] tail, so one probe speaks for them all.
  const nul = (m: string) => (breaksString(schema, `\u0000${m}`) ? `\u0000${m}` : undefined);
  if (nul('zQprobe00000') === undefined && longer('') === undefined) return undefined;
  return oddString.map((odd) => {
    const value = breaksString(schema, odd.value) ? odd.value : (nul(odd.marker) ?? longer(odd.marker)!);
    return { value, secrets: strings(value, odd.marker) };
  });
}

/** Percent-encodes anything, a lone surrogate as U+FFFD (what a client would send). */
const encode = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

// ---- requests --------------------------------------------------------------------------

interface Parts {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body?: unknown;
}

export function badRequests(op: Operation, fixtures: Fixtures): fc.Arbitrary<BadRequest> {
  const params = Object.fromEntries(op.params.map((p) => [p.name, fixtures.param(op.url, p.name) ?? String(sample(p.schema, fixtures, p.name, false))]));
  // Query values are strings; an integer query parameter is left out (none can be valid without coercion).
  const queryable = op.query.filter((q) => isStringSchema(q.schema));
  const query = (full: boolean) => Object.fromEntries(queryable.filter((q) => q.required || full).map((q) => [q.name, String(sample(q.schema, fixtures, q.name, false))]));
  const minimal: Parts = { params, query: query(false), body: op.body ? sample(op.body, fixtures, '', false) : undefined };
  const full: Parts = { params, query: query(true), body: op.body ? sample(op.body, fixtures, '', true) : undefined };
  const headers: Record<string, string> = op.public ? {} : { authorization: fixtures.authorization };

  const build = (mutation: string, parts: Parts, expect: Expectation, secrets: string[] = [], extra: Partial<BadRequest> = {}): BadRequest => {
    const url = op.url.replace(/:([A-Za-z]+)/g, (_, name: string) => parts.params[name]);
    const search = Object.entries(parts.query)
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encode(k)}=${encode(x)}`))
      .join('&');
    const payload = parts.body === undefined ? undefined : JSON.stringify(parts.body);
    return {
      mutation,
      method: op.method,
      url: search ? `${url}?${search}` : url,
      headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload,
      expect,
      secrets,
      ...extra,
    };
  };
  const rejectBody = (payload: unknown, field?: string): Expectation =>
    Buffer.byteLength(JSON.stringify(payload ?? null)) > BODY_LIMIT ? { kind: 'reject', status: [413], code: 'payload_too_large' } : { kind: 'reject', status: [400], code: 'validation_failed', field };

  const arbitraries: fc.Arbitrary<BadRequest>[] = [];

  // Schema mutations in the body, with odd strings sprinkled into other string fields.
  if (op.body) {
    const bodySites = sites(op.body, full.body);
    const stringSites = bodySites.filter((s) => isStringSchema(s.schema));
    const sprinkle = (body: unknown, avoid: Pointer) =>
      fc.constant(stringSites.filter((s) => !related(s.pointer, avoid))).chain((eligible) => fc.subarray(eligible, { maxLength: Math.min(2, eligible.length) })).chain((chosen) =>
        fc.tuple(...chosen.map(() => oddString)).map((odds) => {
          let result = body;
          const secrets: string[] = [];
          chosen.forEach((site, i) => {
            result = setAt(result, site.pointer, odds[i].value);
            secrets.push(...strings(odds[i].value, odds[i].marker));
          });
          return { body: result, secrets };
        }),
      );
    const bodyCase = (mutation: string, site: Site, mutate: fc.Arbitrary<{ body: unknown; field?: string; secrets?: string[]; expect?: Expectation }>) =>
      mutate.chain((m) => sprinkle(m.body, site.pointer).map((s) => build(mutation, { ...full, body: s.body }, m.expect ?? rejectBody(s.body, m.field), [...(m.secrets ?? []), ...s.secrets])));

    for (const site of bodySites) {
      const field = site.name ?? 'body';
      if (site.required && site.pointer.length > 0 && typeof site.pointer[site.pointer.length - 1] === 'string') {
        arbitraries.push(bodyCase('missing required field', site, fc.constant({ body: deleteAt(full.body, site.pointer), field })));
      }
      const types = allowedTypes(site.schema);
      const wrong = types ? [42, 4.5, true, null, {}, [], 'text'].filter((v) => !admits(types, v)) : [];
      // A JSON `null` body may be read as no body at all (POST /unsubscribe takes a bare POST), so only its status is certain.
      const nullBody: Expectation = { kind: 'reject', status: [400] };
      if (wrong.length > 0) {
        arbitraries.push(bodyCase('wrong type', site, fc.constantFrom(...wrong).map((v) => ({ body: setAt(full.body, site.pointer, v), field, ...(v === null && site.pointer.length === 0 ? { expect: nullBody } : {}) }))));
      }
      if (site.schema.additionalProperties === false && types?.has('object')) {
        arbitraries.push(
          bodyCase('unknown field', site, fc.stringMatching(/^[a-z]{3,12}$/).map((k) => ({ body: setAt(full.body, [...site.pointer, `unexpected_${k}`], 'x'), field: `unexpected_${k}` }))),
          bodyCase('odd unknown key', site, oddString.map((odd) => ({ body: setAt(full.body, [...site.pointer, odd.value], 1), secrets: strings(odd.value, odd.marker) }))),
        );
      }
      const refused = isStringSchema(site.schema) ? refusedStrings(site.schema) : undefined;
      if (refused) arbitraries.push(bodyCase('string out of bounds', site, refused.map(({ value, secrets }) => ({ body: setAt(full.body, site.pointer, value), field, secrets }))));
      if (isStringSchema(site.schema)) {
        if ((site.schema.minLength ?? 0) > 0) arbitraries.push(bodyCase('empty string', site, fc.constant({ body: setAt(full.body, site.pointer, ''), field })));
      }
      if (types && (types.has('integer') || types.has('number')) && !types.has('string')) {
        const out = [
          ...(site.schema.minimum !== undefined ? [site.schema.minimum - 1, -1e308] : []),
          ...(site.schema.maximum !== undefined ? [site.schema.maximum + 1, 1e308] : []),
          ...(!types.has('number') ? [1.5] : []),
        ];
        if (out.length > 0) arbitraries.push(bodyCase('number out of bounds', site, fc.constantFrom(...out).map((v) => ({ body: setAt(full.body, site.pointer, v), field }))));
      }
      if (types?.has('array') && site.schema.items && Array.isArray(getAt(full.body, site.pointer))) {
        const element = (getAt(full.body, site.pointer) as unknown[])[0];
        if (site.schema.maxItems !== undefined && site.schema.maxItems <= 1000) {
          arbitraries.push(bodyCase('too many items', site, fc.constant({ body: setAt(full.body, site.pointer, Array.from({ length: site.schema.maxItems + 1 }, () => element)), field })));
        }
        if ((site.schema.minItems ?? 0) > 0) arbitraries.push(bodyCase('too few items', site, fc.constant({ body: setAt(full.body, site.pointer, []), field })));
      }
    }

    // Semantic mutations: a well-formed policy id nobody declared, an id no record has.
    const minimalSites = sites(op.body, minimal.body);
    for (const site of minimalSites.filter((s) => s.pointer.length > 0)) {
      if (site.schema.pattern === POLICY_REF) arbitraries.push(marker.map((m) => build('undeclared id in the body', { ...minimal, body: setAt(minimal.body, site.pointer, m) }, { kind: 'refuse-or-read' }, [m])));
      if (site.schema.format === 'uuid') arbitraries.push(fc.uuid().map((id) => build('unknown id in the body', { ...minimal, body: setAt(minimal.body, site.pointer, id) }, { kind: 'refuse-or-read' })));
    }

    // Body encodings: malformed JSON, a poisoned prototype, nothing at all, the wrong media type, too much.
    const text = JSON.stringify(full.body);
    arbitraries.push(
      oddString.map((odd) => build('malformed JSON', full, { kind: 'reject', status: [400], code: 'malformed_json' }, [odd.marker], { payload: `${text.slice(0, -1)},"${odd.marker}": "${odd.value.slice(0, 50)}` })),
      marker.map((m) => build('trailing comma', full, { kind: 'reject', status: [400], code: 'malformed_json' }, [m], { payload: `${text.slice(0, -1)},"k":"${m}",}` })),
      marker.map((m) => build('prototype poisoning', full, { kind: 'reject', status: [400] }, [m], { payload: `{"__proto__":{"polluted":"${m}"},${text.slice(1)}` })),
      fc.constant(build('empty JSON body', full, { kind: 'reject', status: [400], code: 'malformed_json' }, [], { payload: '' })),
      fc.tuple(fc.constantFrom('application/xml', 'text/html', 'image/png', 'application/octet-stream', 'multipart/form-data; boundary=zz'), marker).map(([type, m]) => {
        const request = build('unsupported media type', full, { kind: 'reject', status: [415], code: 'unsupported_media_type' }, [m], { payload: `<x>${m}</x>` });
        return { ...request, headers: { ...request.headers, 'content-type': type } };
      }),
      marker.map((m) => build('body over the limit', full, { kind: 'reject', status: [413], code: 'payload_too_large' }, [m], { payload: JSON.stringify({ [m]: 'x'.repeat(BODY_LIMIT) }) })),
    );
  }

  // Path parameters: bad format, bad encoding, too long, unknown.
  for (const param of op.params) {
    const withParam = (value: string): Parts => ({ ...full, params: { ...params, [param.name]: value } });
    const refusal: Expectation = { kind: 'reject', status: [400, 414] };
    arbitraries.push(
      fc.constantFrom('%E0%A4%A', '%ED%A0%80', '%FF', '%', '%zz', '%C0%AF').map((bad) => build('badly encoded path parameter', withParam(`x${bad}`), refusal)),
      marker.map((m) => build('too-long path parameter', withParam(m.repeat(30)), { kind: 'reject', status: [414], code: 'uri_too_long' }, [m])),
    );
    const refused = refusedStrings(param.schema);
    if (refused) arbitraries.push(refused.map(({ value, secrets }) => build('odd path parameter', withParam(encode(value)), { kind: 'reject', status: [400, 404, 414], field: param.name }, secrets)));
    if (param.schema.format === 'uuid') arbitraries.push(fc.uuid().map((id) => build('unknown id', { ...minimal, params: { ...params, [param.name]: id } }, { kind: 'refuse-or-read' })));
    if (param.schema.pattern === POLICY_REF) arbitraries.push(marker.map((m) => build('undeclared id in the path', { ...minimal, params: { ...params, [param.name]: m } }, { kind: 'refuse-or-read' }, [m])));
  }

  // Query strings: out-of-bounds values, repeated keys, missing required, unknown and odd keys.
  for (const q of queryable) {
    arbitraries.push(
      marker.map((m) => build('repeated query key', { ...full, query: { ...full.query, [q.name]: [m, m] } }, { kind: 'reject', status: [400], code: 'validation_failed', field: q.name }, [m])),
    );
    const refused = refusedStrings(q.schema);
    if (refused) arbitraries.push(refused.map(({ value, secrets }) => build('odd query value', { ...full, query: { ...full.query, [q.name]: value } }, { kind: 'reject', status: [400], code: 'validation_failed', field: q.name }, secrets)));
    if (q.required) arbitraries.push(fc.constant(build('missing query parameter', { ...full, query: Object.fromEntries(Object.entries(full.query).filter(([k]) => k !== q.name)) }, { kind: 'reject', status: [400], code: 'validation_failed', field: q.name })));
    if (q.schema.pattern === POLICY_REF && op.method === 'GET') arbitraries.push(marker.map((m) => build('undeclared id in the query', { ...minimal, query: { ...minimal.query, [q.name]: m } }, { kind: 'refuse-or-read' }, [m])));
  }
  for (const q of op.query.filter((x) => !isStringSchema(x.schema))) {
    arbitraries.push(fc.constantFrom('0', '-1', '1.5', '1e999', 'NaN', '99999999999999999999').map((v) => build('numeric query value', { ...full, query: { ...full.query, [q.name]: v } }, { kind: 'reject', status: [400], code: 'validation_failed', field: q.name })));
  }
  // Junk around the query. A write keeps something certainly wrong elsewhere (an unknown
  // body field, or an unknown id), so the junk is all that is tested.
  const uuidParam = op.params.find((p) => p.schema.format === 'uuid');
  const queryJunk = (mutation: string, query: Parts['query'], secrets: string[], rawSuffix = ''): BadRequest | undefined => {
    const request =
      op.method === 'GET'
        ? build(mutation, { ...minimal, query }, { kind: 'no-server-error' }, secrets)
        : op.body?.additionalProperties === false
          ? build(mutation, { ...full, query, body: { ...(full.body as object), unexpected_junk: 1 } }, { kind: 'reject', status: [400], code: 'validation_failed' }, secrets)
          : uuidParam
            ? build(mutation, { ...minimal, query, params: { ...params, [uuidParam.name]: randomUUID() } }, { kind: 'refuse-or-read' }, secrets)
            : undefined;
    return request && rawSuffix ? { ...request, url: `${request.url}${request.url.includes('?') ? '&' : '?'}${rawSuffix}` } : request;
  };
  if (queryJunk('probe', {}, [])) {
    arbitraries.push(
      fc.tuple(oddString, fc.constantFrom('__proto__', 'constructor', 'a[b]', 'x', '')).map(([odd, key]) => queryJunk('junk in the query', { ...minimal.query, [key]: odd.value, [odd.value.slice(0, 30)]: odd.marker }, strings(odd.value, odd.marker))!),
      fc.tuple(fc.constantFrom('%E0%A4%A', '%FF', '%', '%ZZ', '%ED%A0%80'), marker).map(([bad, m]) => queryJunk('badly encoded query', minimal.query, [m], `q${bad}=${m}${bad}`)!),
    );
  }

  // Authentication, headers and methods.
  if (!op.public) {
    arbitraries.push(
      fc.constantFrom('none', 'malformed', 'Bearer', 'Basic YWRtaW46YWRtaW4=', 'Bearer cust_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').chain((auth) =>
        marker.map((m) => {
          const request = build('bad API key', full, { kind: 'reject', status: [401], code: 'unauthenticated' }, [m]);
          const rest = Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== 'authorization'));
          if (auth === 'none') return { ...request, headers: rest };
          return { ...request, headers: { ...rest, authorization: auth === 'malformed' ? `Bearer cust_${m}` : auth } };
        }),
      ),
    );
  } else if (op.method === 'GET') {
    arbitraries.push(oddString.map((odd) => ({ ...build('junk headers', minimal, { kind: 'no-server-error' }, [odd.marker]), headers: { authorization: `Bearer ${odd.marker}`, 'accept-language': `${odd.marker};q=0.5,*;q=abc`, 'sec-gpc': odd.marker } })));
  }
  const otherMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !op.pathMethods.includes(m));
  if (otherMethods.length > 0) arbitraries.push(fc.constantFrom(...otherMethods).map((method) => ({ ...build('method not served', full, { kind: 'reject', status: [404], code: 'route_not_found' }), method })));

  return fc.oneof(...arbitraries);
}

function getAt(root: unknown, pointer: Pointer): unknown {
  return pointer.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], root);
}
