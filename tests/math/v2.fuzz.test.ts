import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { localV2Answer } from '../helpers/localAnswers.ts'
import { v2Answers, v2Cases, v2Market, type V2Pair } from '../helpers/mathMarkets.ts'
import { mulberry32 } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)

describe('V2 local math vs the real Router02 (differential fuzz)', () => {
  let devnet: Devnet
  let block: bigint
  let pairs: V2Pair[]

  beforeAll(async () => {
    devnet = await startDevnet()
    ;({ pairs, block } = await v2Market(devnet))
    expect(pairs.length).toBeGreaterThanOrEqual(4)
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random getAmountsOut/getAmountsIn match to the wei, reverts included`, async () => {
    const cases = v2Cases(mulberry32(SEED + 2), SWAPS, pairs)
    const chain = await v2Answers(devnet, pairs, block, cases)
    const mismatches = cases.flatMap((c, i) => {
      const local = localV2Answer(pairs, c)
      return local === chain[i] ? [] : [`${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${local} chain ${chain[i]}`]
    })
    const reverted = chain.filter((a) => a === null).length
    console.log(`v2 fuzz: ${SWAPS - reverted} quoted, ${reverted} reverted on both sides`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(reverted).toBeGreaterThan(0)
    expect(SWAPS - reverted).toBeGreaterThan(SWAPS * 0.6)
  })
})
