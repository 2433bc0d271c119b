/** One field that differs between two policies: its path and both values (undefined: absent). */
export interface PolicyChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields that differ between two policy documents, leaf by leaf, in the
 * order of `from`'s fields then `to`'s new ones. Arrays of numbers or strings
 * (bundles, plansAllowed, expiringSoonDays) compare whole; arrays of objects
 * (rate card tiers) by index. Pure: the CLI's `policy diff` and the console use it.
 */
export function diffPolicies(from: unknown, to: unknown, path = ''): PolicyChange[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...Object.keys(from), ...Object.keys(to).filter((k) => !(k in from))];
    return keys.flatMap((key) => diffPolicies(from[key], to[key], path === '' ? key : `${path}.${key}`));
  }
  const objectArrays =
    Array.isArray(from) && Array.isArray(to) && [...from, ...to].some((item) => isPlainObject(item));
  if (objectArrays) {
    const length = Math.max(from.length, to.length);
    return Array.from({ length }, (_, i) => diffPolicies(from[i], to[i], `${path}.${i}`)).flat();
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path, from, to }];
}
