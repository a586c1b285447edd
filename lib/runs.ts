/**
 * A list as runs of consecutive items with the same key (a pair's quotes, a venue's quotes, a
 * pair's sizings come together), each as its key and its range [from, to).
 */
export function runsOf<T, K>(items: readonly T[], keyOf: (item: T, at: number) => K): { key: K; from: number; to: number }[] {
  const runs: { key: K; from: number; to: number }[] = []
  for (let i = 0; i < items.length; i++) {
    const key = keyOf(items[i]!, i)
    const last = runs[runs.length - 1]
    if (last && last.key === key) last.to = i + 1
    else runs.push({ key, from: i, to: i + 1 })
  }
  return runs
}

/**
 * What `runsOf` looked at last time, for `keptRunsOf`: the list and each item's key (the keys
 * are overwritten in place while the list keeps its length).
 */
export type RunsMemo<T, K> = { items?: readonly T[]; keys?: K[] }

/**
 * `runsOf`, an item's key taken from the last list where the item is the very object that stood
 * at its place there: a synced run hands back the same objects for what a block did not touch,
 * so only the touched ones are looked into (cold objects, every block, for every pool).
 */
export function keptRunsOf<T, K>(items: readonly T[], keyOf: (item: T) => K, memo: RunsMemo<T, K>): { key: K; from: number; to: number }[] {
  // The very list again may have been written into since: its keys are not taken on trust.
  const last = memo.items !== items && memo.items?.length === items.length ? memo.items : undefined
  const keys = last ? memo.keys! : new Array<K>(items.length)
  const runs = runsOf(items, (item, at) => (keys[at] = last && last[at] === item ? keys[at]! : keyOf(item)))
  memo.items = items
  memo.keys = keys
  return runs
}

/**
 * Each key's items as a range of a list: ranges of the list given when each key's items come
 * together (a pair's quotes, a pair's pools), else gathered into lists of their own, in order.
 * With a memo, the keys are taken as `keptRunsOf` takes them.
 */
export function groupsOf<T, K>(items: T[], keyOf: (item: T) => K, memo?: RunsMemo<T, K>): { key: K; items: T[]; from: number; to: number }[] {
  const runs = memo ? keptRunsOf(items, keyOf, memo) : runsOf(items, keyOf)
  if (new Set(runs.map((run) => run.key)).size === runs.length) return runs.map(({ key, from, to }) => ({ key, items, from, to }))
  const gathered = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = gathered.get(key)
    if (group) group.push(item)
    else gathered.set(key, [item])
  }
  return [...gathered].map(([key, group]) => ({ key, items: group, from: 0, to: group.length }))
}

/**
 * `kept` holds the very objects of `source[from, to)`, in order: what the memos keyed by object
 * identity check (a synced run hands back the same objects for what a block did not touch).
 */
export function sameObjects<T>(kept: readonly T[], source: readonly T[], from: number, to: number): boolean {
  if (kept.length !== to - from) return false
  for (let i = from; i < to; i++) if (kept[i - from] !== source[i]) return false
  return true
}
