import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeFunctionResult, encodeFunctionData, parseAbi, zeroAddress, type Address } from 'viem'
import { aggregate3 } from '../../lib/chain/multicall.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { OPERATOR, send } from '../../lib/devnet/chain.ts'
import { market } from '../../lib/devnet/market.ts'
import { algebraPoolAddress } from '../../lib/devnet/poolAddress.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { clSwap, type ClPoolState } from '../../lib/math/clSwap.ts'
import { encodeSqrtPriceX96 } from '../../lib/math/sqrt.ts'
import { getTickAtSqrtRatio } from '../../lib/math/tickMath.ts'
import { readAlgebraStates } from '../../lib/state/algebraState.ts'
import { logUniform, mulberry32, randomInt } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)
const SPACING = 60 // Algebra Integral's default tick spacing

const npmAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address, address, address, uint160, bytes) payable returns (address)',
  'struct M { address token0; address token1; address deployer; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256, uint128, uint256, uint256)',
])
const quoterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; address deployer; uint256 amount; uint160 limitSqrtPrice; }',
  'function quoteExactInputSingle(P params) returns (uint256 amountOut, uint256 amountIn, uint160, uint32, uint256, uint16)',
  'function quoteExactOutputSingle(P params) returns (uint256 amountOut, uint256 amountIn, uint160, uint32, uint256, uint16)',
])
const TOKEN0 = CANONICAL.WBTC
const TOKEN1 = CANONICAL.USDC

describe('Algebra local math vs the real Algebra QuoterV2 (differential fuzz)', () => {
  let devnet: Devnet
  let pool: Address
  let state: ClPoolState
  let block: bigint
  const random = mulberry32(SEED + 1)

  beforeAll(async () => {
    devnet = await startDevnet()
    const manager = devnet.deployment.algebra.positionManager
    const sqrtPriceX96 = encodeSqrtPriceX96(600n, 1n)
    const center = getTickAtSqrtRatio(sqrtPriceX96)
    await send(devnet.client, 'create', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: npmAbi, functionName: 'createAndInitializePoolIfNecessary', args: [TOKEN0, TOKEN1, zeroAddress, sqrtPriceX96, '0x'] }) })
    const ranges: [number, number][] = [[Math.ceil(-887_272 / SPACING) * SPACING, Math.floor(887_272 / SPACING) * SPACING]]
    for (let i = 0; i < 40; i++) {
      const lower = Math.floor((center + randomInt(random, -6000, 6000)) / SPACING) * SPACING
      ranges.push([lower, lower + SPACING * randomInt(random, 1, 80)])
    }
    for (const [tickLower, tickUpper] of ranges) {
      await send(devnet.client, 'mint', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: npmAbi, functionName: 'mint', args: [{ token0: TOKEN0, token1: TOKEN1, deployer: zeroAddress, tickLower, tickUpper, amount0Desired: logUniform(random, 10n ** 9n), amount1Desired: logUniform(random, 6n * 10n ** 11n), amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: 2n ** 32n }] }) }).catch(() => {})
    }
    const m = market(devnet.client, devnet.deployment)
    await m.swap({ venue: 'algebra_integral', tokenIn: 'WBTC', tokenOut: 'USDC', amountIn: logUniform(random, 10n ** 8n) })
    await m.swap({ venue: 'algebra_integral', tokenIn: 'USDC', tokenOut: 'WBTC', amountIn: logUniform(random, 10n ** 10n) })
    pool = algebraPoolAddress(devnet.deployment.algebra.poolDeployer, TOKEN0, TOKEN1)
    block = await devnet.client.getBlockNumber()
    const states = await readAlgebraStates({ client: devnet.client as never, multicall3: CANONICAL.multicall3, pools: [pool], blockNumber: block })
    state = states.get(pool)!
    expect(state).toBeDefined()
  }, 120_000)

  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random swaps (dust to beyond liquidity, both directions, exact in and out) match to the wei`, async () => {
    const cases = Array.from({ length: SWAPS }, () => {
      const zeroForOne = random() < 0.5
      const exactIn = random() < 0.5
      return { zeroForOne, exactIn, amount: logUniform(random, zeroForOne === exactIn ? 30n * 10n ** 8n : 2n * 10n ** 12n) }
    })
    const calls = cases.map(({ zeroForOne, exactIn, amount }) => {
      const [tokenIn, tokenOut] = zeroForOne ? [TOKEN0, TOKEN1] : [TOKEN1, TOKEN0]
      const params = { tokenIn, tokenOut, deployer: zeroAddress, amount, limitSqrtPrice: 0n }
      return { target: devnet.deployment.algebra.quoter, callData: encodeFunctionData({ abi: quoterAbi, functionName: exactIn ? 'quoteExactInputSingle' : 'quoteExactOutputSingle', args: [params] }) }
    })
    const onchain = await aggregate3({ client: devnet.client as never, multicall3: CANONICAL.multicall3, calls, blockNumber: block, batchSize: 40, gasPerCall: 5_000_000 })

    let reverted = 0
    let multiTick = 0
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const chain = onchain[i]!
      expect(chain.ok || !chain.infra).toBe(true)
      let local: [bigint, bigint] | null = null
      try {
        const r = clSwap(state, c.zeroForOne, c.exactIn ? c.amount : -c.amount)
        if (r.ticksCrossed >= 2) multiTick++
        const amountIn = c.zeroForOne ? r.amount0 : r.amount1
        const amountOut = -(c.zeroForOne ? r.amount1 : r.amount0)
        local = !c.exactIn && r.partial ? null : [amountIn, amountOut]
      } catch {
        local = null
      }
      let remote: [bigint, bigint] | null = null
      if (chain.ok) {
        const [amountOut, amountIn] = decodeFunctionResult({ abi: quoterAbi, functionName: c.exactIn ? 'quoteExactInputSingle' : 'quoteExactOutputSingle', data: chain.data })
        remote = [amountIn, amountOut]
      } else reverted++
      if (String(local) !== String(remote)) mismatches.push(`${c.zeroForOne ? '0→1' : '1→0'} ${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${local} chain ${remote}`)
    })
    console.log(`algebra fuzz: ${SWAPS} compared, ${SWAPS - reverted} quoted, ${reverted} reverted on both sides, ${multiTick} crossing >= 2 initialized ticks`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(SWAPS - reverted).toBeGreaterThan(SWAPS * 0.6)
    expect(multiTick).toBeGreaterThan(SWAPS * 0.2)
  }, 120_000)
})
