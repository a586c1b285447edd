/** citty's lazily-declared values (a value, a promise, or a function returning either), resolved. */
export type Resolvable<T> = T | Promise<T> | (() => T) | (() => Promise<T>)

export async function resolveValue<T>(value: Resolvable<T>): Promise<T> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value
}

/** A flag's aliases as a list (citty allows one string, a list, or none). */
export function aliasesOf(def: { alias?: string | string[] }): string[] {
  return def.alias === undefined ? [] : Array.isArray(def.alias) ? def.alias : [def.alias]
}
