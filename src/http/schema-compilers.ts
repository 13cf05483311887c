/**
 * Route schemas compiled on first use. Fastify compiles every route's validators (ajv)
 * and response serializers (fast-json-stringify) while the server starts; for Custodian's
 * routes that was a third of the start-up CPU time and some 20 MB of resident memory
 * kept afterwards (`npm run bench`, startup rows), much of it for routes an installation
 * rarely calls. These factories hand Fastify the compilers it would use itself (resolved
 * from Fastify's own dependencies, so the versions match), wrapped so that each route's
 * schema is compiled on its first request.
 *
 * The schemas are the same and so is what they accept, reject and emit; only the moment
 * of compilation moves. One Fastify difference: with a custom compiler Fastify does not
 * lower-case the property names of `headers` schemas, so write those in lower case.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown };
type Serialize = (doc: unknown) => string;
/** The shape of both Fastify compiler factories: schemas and options in, a per-route compiler out. */
type Factory<F> = (externalSchemas: unknown, options?: unknown) => (route: unknown) => F;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

function lazyFactory<F>(factory: Factory<F>, wrap: (compile: () => F) => F): Factory<F> {
  return (externalSchemas, options) => {
    let compiler: ReturnType<Factory<F>> | undefined;
    return (route) => wrap(() => (compiler ??= factory(externalSchemas, options))(route));
  };
}

/** A validator that compiles its schema when first called; Fastify reads `errors` after a failed call. */
function lazyValidator(compile: () => Validate): Validate {
  let validate: Validate | undefined;
  const lazy = (data: unknown, context?: unknown) => {
    validate ??= compile();
    const valid = validate(data, context);
    lazy.errors = validate.errors;
    return valid;
  };
  lazy.errors = undefined as unknown;
  // Fastify passes { parentData, parentDataProperty } only to functions marked as ajv's, as the real one is.
  lazy.schemaEnv = true;
  return lazy;
}

function lazySerializer(compile: () => Serialize): Serialize {
  let serialize: Serialize | undefined;
  return (doc) => (serialize ??= compile())(doc);
}

export function lazySchemaCompilers(): CompilersFactory {
  const ajv = (fromFastify('@fastify/ajv-compiler') as () => Factory<Validate>)();
  const fastJsonStringify = (fromFastify('@fastify/fast-json-stringify-compiler') as () => Factory<Serialize>)();
  return {
    buildValidator: lazyFactory(ajv, lazyValidator) as CompilersFactory['buildValidator'],
    buildSerializer: lazyFactory(fastJsonStringify, lazySerializer) as CompilersFactory['buildSerializer'],
  };
}
