import { describe, expect, test } from 'bun:test'
import { mergeFirst, mergeKept, type MergeMemo } from '../../lib/scan/merge.ts'
import { mulberry32 } from '../helpers/random.ts'

type Item = { value: number; list: number; at: number }
const order = (a: Item, b: Item) => b.value - a.value

/** The lists concatenated in order and sorted stably: what a merge must equal. */
const sortedAll = (lists: Item[][]) => lists.flat().sort(order)

describe('merging sorted lists', () => {
  test('behavior: the first n of a merge are those of the lists concatenated and sorted stably (equals: the earlier list first, then list order)', () => {
    const random = mulberry32(3)
    for (let round = 0; round < 50; round++) {
      const lists = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, list) =>
        Array.from({ length: Math.floor(random() * 9) }, (_, at) => ({ value: Math.floor(random() * 5), list, at })).sort(order))
      const all = sortedAll(lists)
      expect(mergeFirst(lists, Infinity, order)).toEqual(all)
      expect(mergeFirst(lists, 7, order)).toEqual(all.slice(0, 7))
    }
  })

  test('behavior: a merge kept between cycles, with some lists replaced, some the same arrays and the number of lists changing, equals the merge afresh every cycle', () => {
    const random = mulberry32(7)
    const make = (list: number) => Array.from({ length: Math.floor(random() * 30) }, (_, at) => ({ value: Math.floor(random() * 8), list, at })).sort(order)
    const memo: { merged?: MergeMemo<Item> } = {}
    let lists = Array.from({ length: 20 }, (_, k) => make(k))
    let incremental = 0
    for (let round = 0; round < 200; round++) {
      const before = memo.merged
      const merged = mergeKept(lists, order, memo, (item) => item.value)
      expect(merged).toEqual(sortedAll(lists))
      if (before && before.lists.length === lists.length) incremental++
      // Unchanged lists: the same result array, not merged again.
      if (before && before.lists.length === lists.length && lists.every((list, k) => list === before.lists[k])) expect(merged).toBe(before.out)
      const next = random()
      if (next < 0.1) lists = Array.from({ length: 1 + Math.floor(random() * 25) }, (_, k) => make(k))
      else if (next < 0.2) lists = [...lists]
      else lists = lists.map((list, k) => (random() < 0.15 ? make(k) : list))
    }
    expect(incremental).toBeGreaterThan(150)
  })
})
