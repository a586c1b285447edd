import { describe, expect, test } from 'bun:test'
import { groupsOf, keptRunsOf, runsOf, type RunsMemo } from '../lib/runs.ts'
import { mulberry32 } from './helpers/random.ts'

type Item = { key: number }

describe('runs of a list', () => {
  test('behavior: runs kept between lists equal runs found afresh, only items not at their last place looked into', () => {
    const random = mulberry32(5)
    const memo: RunsMemo<Item, number> = {}
    let items = Array.from({ length: 40 }, (_, i) => ({ key: Math.floor(i / 4) }))
    let lookedLast = 0
    for (let round = 0; round < 300; round++) {
      let looked = 0
      const runs = keptRunsOf(items, (item) => (looked++, item.key), memo)
      expect(runs).toEqual(runsOf(items, (item) => item.key))
      if (round > 0) expect(looked).toBe(lookedLast)
      const next = random()
      const replaced = items.map((item) => (random() < 0.2 ? { key: next < 0.5 ? item.key : Math.floor(random() * 12) } : item))
      // A new list of another length: every item looked into; else only those replaced or moved.
      const resized = next < 0.1 ? replaced.concat([{ key: 99 }]) : replaced
      items = resized
      lookedLast = resized.length === memo.items!.length ? resized.filter((item, i) => item !== memo.items![i]).length : resized.length
    }
  })

  test('behavior: the same list written into is looked into again (its keys are not taken on trust)', () => {
    const memo: RunsMemo<Item, number> = {}
    const items = [{ key: 1 }, { key: 1 }, { key: 2 }]
    expect(keptRunsOf(items, (item) => item.key, memo)).toEqual([{ key: 1, from: 0, to: 2 }, { key: 2, from: 2, to: 3 }])
    items[1] = { key: 2 }
    expect(keptRunsOf(items, (item) => item.key, memo)).toEqual([{ key: 1, from: 0, to: 1 }, { key: 2, from: 1, to: 3 }])
  })

  test('behavior: groups are ranges of the list given when each key\'s items come together, else each key\'s items gathered in order', () => {
    const items = [{ key: 1 }, { key: 1 }, { key: 2 }, { key: 3 }]
    expect(groupsOf(items, (item) => item.key)).toEqual([{ key: 1, items, from: 0, to: 2 }, { key: 2, items, from: 2, to: 3 }, { key: 3, items, from: 3, to: 4 }])
    const split = [items[0]!, items[2]!, items[1]!, items[3]!]
    const groups = groupsOf(split, (item) => item.key)
    expect(groups.map(({ key, items: mine, from, to }) => [key, mine.slice(from, to)])).toEqual([[1, [items[0]!, items[1]!]], [2, [items[2]!]], [3, [items[3]!]]])
    expect(groups[0]!.items[1]).toBe(items[1])
  })
})
