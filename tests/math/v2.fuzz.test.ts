import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address } from 'viem'
import { aggregate3 } from '../../lib/chain/multicall.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import type { DevnetToken } from '../../lib/devnet/deploy.ts'
import { seededPoolAddress } from '../../lib/devnet/describe.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { getAmountIn, getAmountOut } from '../../lib/math/v2.ts'
import { logUniform, mulberry32 } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)
const routerAbi = parseAbi([
  'function getAmountsOut(uint256, address[]) view returns (uint256[])',
  'function getAmountsIn(uint256, address[]) view returns (uint256[])',
])
const pairAbi = parseAbi(['function getReserves() view returns (uint112, uint112, uint32)', 'function token0() view returns (address)'])

describe('V2 local math vs the real Router02 (differential fuzz)', () => {
  let devnet: Devnet
  let block: bigint
  const pairs: { a: Address; b: Address; reserves: Map<Address, bigint> }[] = []

  beforeAll(async () => {
    devnet = await startDevnet()
    block = await devnet.client.getBlockNumber()
    for (const seeded of devnet.pools.filter((p) => p.venue === 'uniswap_v2')) {
      const [base, quote] = seeded.pair.split('/') as [DevnetToken, DevnetToken]
      const address = seededPoolAddress(devnet.deployment, seeded.pair, seeded.venue)
      const [r0, r1] = await devnet.client.readContract({ address, abi: pairAbi, functionName: 'getReserves', blockNumber: block })
      const token0 = await devnet.client.readContract({ address, abi: pairAbi, functionName: 'token0', blockNumber: block })
      const [a, b] = [devnet.deployment.tokens[base], devnet.deployment.tokens[quote]]
      pairs.push({ a, b, reserves: new Map([[token0, BigInt(r0)], [token0 === a ? b : a, BigInt(r1)]]) })
    }
    expect(pairs.length).toBeGreaterThanOrEqual(4)
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random getAmountsOut/getAmountsIn match to the wei, reverts included`, async () => {
    const random = mulberry32(SEED + 2)
    const cases = Array.from({ length: SWAPS }, (_, i) => {
      const pair = pairs[i % pairs.length]!
      const [tokenIn, tokenOut] = random() < 0.5 ? [pair.a, pair.b] : [pair.b, pair.a]
      const exactIn = random() < 0.5
      const cap = (exactIn ? pair.reserves.get(tokenIn)! : pair.reserves.get(tokenOut)!) * 2n
      return { pair, tokenIn, tokenOut, exactIn, amount: logUniform(random, cap) }
    })
    const calls = cases.map((c) => ({
      target: CANONICAL.uniswapV2Router02 as Address,
      callData: encodeFunctionData({ abi: routerAbi, functionName: c.exactIn ? 'getAmountsOut' : 'getAmountsIn', args: [c.amount, [c.tokenIn, c.tokenOut]] }),
    }))
    const onchain = await aggregate3({ client: devnet.client as never, multicall3: CANONICAL.multicall3, calls, blockNumber: block, batchSize: 200, gasPerCall: 200_000 })
    let reverted = 0
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const reserveIn = c.pair.reserves.get(c.tokenIn)!
      const reserveOut = c.pair.reserves.get(c.tokenOut)!
      let local: bigint | null
      try {
        local = c.exactIn ? getAmountOut(c.amount, reserveIn, reserveOut) : getAmountIn(c.amount, reserveIn, reserveOut)
      } catch {
        local = null
      }
      const chain = onchain[i]!
      const amounts = chain.ok ? decodeFunctionResult({ abi: routerAbi, functionName: c.exactIn ? 'getAmountsOut' : 'getAmountsIn', data: chain.data }) : null
      const remote = amounts ? (c.exactIn ? amounts[1]! : amounts[0]!) : null
      if (remote === null) reverted++
      if (local !== remote) mismatches.push(`${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${local} chain ${remote}`)
    })
    console.log(`v2 fuzz: ${SWAPS} compared, ${SWAPS - reverted} quoted, ${reverted} reverted on both sides`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(reverted).toBeGreaterThan(0)
    expect(SWAPS - reverted).toBeGreaterThan(SWAPS * 0.6)
  })
})
