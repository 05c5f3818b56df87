/**
 * Args with every left-out optional filled from the component's defaults constant. Each component resolves its
 * args once with this, and both its validator and its constructor read the result, so a default is written once.
 */
export type WithDefaults<A, D> = Omit<A, keyof D> & { readonly [K in keyof D & keyof A]-?: Exclude<A[K], undefined> };

export function withDefaults<A extends object, D extends { readonly [K in keyof A]?: A[K] }>(args: A, defaults: D): WithDefaults<A, D> {
  const resolved = { ...args } as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) resolved[key] ??= value;
  return resolved as WithDefaults<A, D>;
}
