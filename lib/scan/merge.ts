/** A sort order: negative when `a` comes first. */
export type Order<T> = (a: T, b: T) => number

/**
 * What a run keeps of one merge between cycles: the lists merged and their result, with the list
 * each element of it came from. A list handed back as the same array is taken as unchanged.
 */
export type MergeMemo<T> = { lists: T[][]; out: T[]; from: number[]; scores: number[] }

/**
 * The first `n` of several sorted lists merged (the same as concatenating them in order and
 * sorting stably): among equals, the earlier list's first. A heap of the lists' heads: n·log k.
 */
export function mergeFirst<T>(lists: T[][], n: number, order: Order<T>): T[] {
  return heapMerge(lists, lists.map((_, k) => k), n, order, [], [])
}

/**
 * Every element of several sorted lists merged, as `mergeFirst` does, kept in `memo` between
 * cycles: when only some lists changed (a block touches a few pairs), the result is the last one
 * without the changed lists' elements, merged in one pass with the changed lists' own merge —
 * linear in the elements, not n·log k. Same result as merging afresh. `score` is the order's
 * first key, highest first: `order(a, b)` has the sign of `score(b) − score(a)` where they differ.
 */
export function mergeKept<T>(lists: T[][], order: Order<T>, memo: { merged?: MergeMemo<T> }, score: (item: T) => number): T[] {
  const last = memo.merged
  if (!last || last.lists.length !== lists.length) {
    const from: number[] = []
    const out = heapMerge(lists, lists.map((_, k) => k), Infinity, order, [], from)
    memo.merged = { lists, out, from, scores: out.map(score) }
    return out
  }
  const changed: number[] = []
  for (let k = 0; k < lists.length; k++) if (lists[k] !== last.lists[k]) changed.push(k)
  if (!changed.length) return last.out
  const isChanged = new Uint8Array(lists.length)
  for (const k of changed) isChanged[k] = 1
  const freshFrom: number[] = []
  const fresh = heapMerge(lists, changed, Infinity, order, [], freshFrom)
  const freshScores = fresh.map(score)
  const out: T[] = []
  const from: number[] = []
  const scores: number[] = []
  let f = 0
  for (let i = 0; i < last.out.length; i++) {
    const k = last.from[i]!
    if (isChanged[k]) continue
    const kept = last.out[i]!
    const keptScore = last.scores[i]!
    // The fresh ones that come before this kept one (equal ones from an earlier list too). Told
    // apart by their scores where they differ: the kept one is not looked into (cold, every block).
    while (f < fresh.length) {
      const c = freshScores[f] !== keptScore ? keptScore - freshScores[f]! : order(fresh[f]!, kept)
      if (!(c < 0 || (c === 0 && freshFrom[f]! < k))) break
      out.push(fresh[f]!)
      scores.push(freshScores[f]!)
      from.push(freshFrom[f++]!)
    }
    out.push(kept)
    scores.push(keptScore)
    from.push(k)
  }
  for (; f < fresh.length; f++) {
    out.push(fresh[f]!)
    scores.push(freshScores[f]!)
    from.push(freshFrom[f]!)
  }
  memo.merged = { lists, out, from, scores }
  return out
}

/** The first `n` of the lists numbered `ks` merged into `out` (and the list each came from into `from`). */
function heapMerge<T>(lists: T[][], ks: number[], n: number, order: Order<T>, out: T[], from: number[]): T[] {
  const next = new Array<number>(lists.length).fill(0)
  const before = (k: number, l: number) => {
    const c = order(lists[k]![next[k]!]!, lists[l]![next[l]!]!)
    return c < 0 || (c === 0 && k < l)
  }
  const heap: number[] = []
  const swap = (a: number, b: number) => {
    const t = heap[a]!
    heap[a] = heap[b]!
    heap[b] = t
  }
  const up = (at: number) => {
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!before(heap[at]!, heap[parent]!)) break
      swap(at, parent)
      at = parent
    }
  }
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1
      const r = l + 1
      let best = at
      if (l < heap.length && before(heap[l]!, heap[best]!)) best = l
      if (r < heap.length && before(heap[r]!, heap[best]!)) best = r
      if (best === at) return
      swap(at, best)
      at = best
    }
  }
  for (const k of ks) {
    if (lists[k]!.length) {
      heap.push(k)
      up(heap.length - 1)
    }
  }
  while (out.length < n && heap.length) {
    const k = heap[0]!
    out.push(lists[k]![next[k]!++]!)
    from.push(k)
    if (next[k]! < lists[k]!.length) down(0)
    else {
      heap[0] = heap.at(-1)!
      heap.pop()
      if (heap.length) down(0)
    }
  }
  return out
}
