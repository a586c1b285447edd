/**
 * A list as runs of consecutive items with the same key (a pair's quotes, a venue's quotes, a
 * pair's sizings come together), each as its key and its range [from, to).
 */
export function runsOf<T, K>(items: readonly T[], keyOf: (item: T) => K): { key: K; from: number; to: number }[] {
  const runs: { key: K; from: number; to: number }[] = []
  for (let i = 0; i < items.length; i++) {
    const key = keyOf(items[i]!)
    const last = runs[runs.length - 1]
    if (last && last.key === key) last.to = i + 1
    else runs.push({ key, from: i, to: i + 1 })
  }
  return runs
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
