/** Schema building blocks shared by route files. */
import { Type } from '@sinclair/typebox';

/** A string enum: typed as the union, rendered in OpenAPI as `enum`. */
export const literalUnion = <T extends readonly string[]>(values: T, description?: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export function isoTime(ms: number): string;
export function isoTime(ms: number | null): string | null;
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A purpose-gate reason: a stable code and a message for people. */
export const ReasonSchema = Type.Object({ code: Type.String({ description: 'Stable reason code' }), message: Type.String() });

/**
 * An id that refers into the policy (purpose, category, recipient). The pattern is the
 * policy language's, so a value in the wrong field (an e-mail, a name) fails validation
 * with fixed text instead of being echoed back in an error message.
 */
export const PolicyRef = (description: string) => Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description });
