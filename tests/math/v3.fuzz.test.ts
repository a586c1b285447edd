import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Address } from 'viem'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import type { V3PoolState } from '../../lib/math/v3Swap.ts'
import { compareCl } from '../helpers/localAnswers.ts'
import { buildV3Market, clAnswers, clCases, readV3Market, type ClMarket } from '../helpers/mathMarkets.ts'
import { mulberry32 } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)

describe('V3 local math vs the real QuoterV2 (differential fuzz)', () => {
  let devnet: Devnet
  let m: ClMarket
  let states: Map<Address, V3PoolState>
  const random = mulberry32(SEED)

  beforeAll(async () => {
    devnet = await startDevnet()
    m = await buildV3Market(devnet, random)
    states = await readV3Market(devnet, m)
  }, 120_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random swaps (dust to beyond liquidity, both directions, exact in and out): amounts and the price after match to the wei`, async () => {
    const cases = clCases(random, SWAPS, m.pools.length)
    const chain = await clAnswers(devnet, 'v3', m, cases)
    const { mismatches, multiTick } = compareCl((c) => states.get(m.pools[c.pool]!.address)!, cases, chain, (c) => `fee ${m.pools[c.pool]!.fee}`)
    const reverted = chain.filter((a) => a === null).length
    console.log(`v3 fuzz: ${SWAPS - reverted} quoted, ${reverted} reverted on both sides, ${multiTick} crossing >= 2 initialized ticks`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(SWAPS - reverted).toBeGreaterThan(SWAPS * 0.6)
    expect(multiTick).toBeGreaterThan(SWAPS * 0.2)
    expect(reverted).toBeGreaterThan(0)
  }, 120_000)
})
