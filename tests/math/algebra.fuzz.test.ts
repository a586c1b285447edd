import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import type { ClPoolState } from '../../lib/math/clSwap.ts'
import { compareCl } from '../helpers/localAnswers.ts'
import { buildAlgebraMarket, clAnswers, clCases, readAlgebraMarket, type ClMarket } from '../helpers/mathMarkets.ts'
import { mulberry32 } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)

describe('Algebra local math vs the real Algebra QuoterV2 (differential fuzz)', () => {
  let devnet: Devnet
  let m: ClMarket
  let state: ClPoolState
  const random = mulberry32(SEED + 1)

  beforeAll(async () => {
    devnet = await startDevnet()
    m = await buildAlgebraMarket(devnet, random)
    state = (await readAlgebraMarket(devnet, m)).get(m.pools[0]!.address)!
    expect(state).toBeDefined()
  }, 120_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random swaps (dust to beyond liquidity, both directions, exact in and out): amounts and the price after match to the wei`, async () => {
    const cases = clCases(random, SWAPS, 1)
    const chain = await clAnswers(devnet, 'algebra', m, cases)
    const { mismatches, multiTick } = compareCl(() => state, cases, chain, () => 'algebra')
    const reverted = chain.filter((a) => a === null).length
    console.log(`algebra fuzz: ${SWAPS - reverted} quoted, ${reverted} reverted on both sides, ${multiTick} crossing >= 2 initialized ticks`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(SWAPS - reverted).toBeGreaterThan(SWAPS * 0.6)
    expect(multiTick).toBeGreaterThan(SWAPS * 0.2)
  }, 120_000)
})
