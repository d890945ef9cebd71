/**
 * Results that are sent many times unchanged (a cached tools/list) keep their JSON text here, so the
 * transport writes it instead of serializing ~500 KB again. Keyed by the result object: a new list is
 * a new object, and the old text goes with the old object.
 */
const texts = new WeakMap<object, string>();

/** Marks `result` as unchanging and returns it; its JSON is computed once, on first send. */
export function reuseJson<T extends object>(result: T): T {
  if (!texts.has(result)) texts.set(result, '');
  return result;
}

/** The JSON text of `result` if it was marked with `reuseJson`, computing it on first use. */
export function jsonOfReused(result: object): string | undefined {
  const text = texts.get(result);
  if (text === undefined) return undefined;
  if (text !== '') return text;
  const fresh = JSON.stringify(result);
  texts.set(result, fresh);
  return fresh;
}
