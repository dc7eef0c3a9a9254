/**
 * An object as JSON.parse makes them (own data, a plain or null prototype): what the hand-written
 * fast checks beside zod read. Anything else (class instances, arrays, boxed values) goes to zod.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
