import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { compareCl, localV2Answer } from '../helpers/localAnswers.ts'
import type { V2Pair } from '../helpers/mathMarkets.ts'
import { fromAlgebraJson, fromAnswerJson, fromCaseJson, fromV3Json, type MathVectors } from '../helpers/vectors.ts'

/**
 * ARBY's math against real quoter answers recorded from the devnet (scripts/record-math-vectors.ts):
 * the live fuzz tests' questions, answered without a chain.
 */
const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as MathVectors

describe('exact math vs recorded quoter answers', () => {
  test.each(['v3', 'algebra'] as const)('behavior: %s swaps: amounts and the price after equal the quoter\'s, reverts included', (family) => {
    const set = vectors[family]
    const states = family === 'v3' ? vectors.v3.states.map(fromV3Json) : vectors.algebra.states.map(fromAlgebraJson)
    const cases = set.cases.map(fromCaseJson)
    const answers = set.answers.map(fromAnswerJson)
    const { mismatches, multiTick } = compareCl((c) => states[c.pool]!, cases, answers, (c) => `pool ${c.pool}`)
    expect(mismatches.slice(0, 5)).toEqual([])
    // The sample exercises what matters: multi-tick walks, reverts, exact in and out.
    expect(multiTick).toBeGreaterThan(cases.length * 0.2)
    expect(answers.filter((a) => a === null).length).toBeGreaterThan(0)
    expect(new Set(cases.map((c) => `${c.exactIn}${c.zeroForOne}`)).size).toBe(4)
  })

  test('behavior: V2 getAmountOut/getAmountIn equal Router02\'s, reverts included', () => {
    const pairs: V2Pair[] = vectors.v2.reserves.map(([ra, rb]) => ({ a: '0x01', b: '0x02', reserves: new Map([['0x01', BigInt(ra)], ['0x02', BigInt(rb)]]) }) as unknown as V2Pair)
    const mismatches = vectors.v2.cases.flatMap((c, i) => {
      const local = localV2Answer(pairs, { ...c, amount: BigInt(c.amount) })
      const chain = vectors.v2.answers[i] === null ? null : BigInt(vectors.v2.answers[i]!)
      return local === chain ? [] : [`${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${local} chain ${chain}`]
    })
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(vectors.v2.answers.filter((a) => a === null).length).toBeGreaterThan(0)
  })
})
