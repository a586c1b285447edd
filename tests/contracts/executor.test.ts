import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { encodeFunctionData, erc20Abi, getAddress, parseAbi, type Address, type Hex } from 'viem'
import { deploy, OPERATOR, send } from '../../lib/devnet/chain.ts'
import { market } from '../../lib/devnet/market.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { arbEvent, decodeRevert, encodeArb, executorAbi, executorRuntime } from '../../lib/sim/executor.ts'
import { arbCall, predict, route, type Route } from '../helpers/routes.ts'

/** anvil's second default account: funded, unlocked, not the owner. */
const STRANGER: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const WETH = 10n ** 18n

describe('ArbExecutor on the devnet (real pool bytecode)', () => {
  let devnet: Devnet
  let executor: Address
  let fake: Address

  const balanceOf = (token: Address, who: Address) => devnet.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [who] })
  /** The revert an eth_call of `data` from `from` to `to` gets, decoded. */
  async function revertOf(from: Address, to: Address, data: Hex) {
    try {
      await devnet.client.call({ account: from, to, data, gas: 10_000_000n })
    } catch (error) {
      const raw = (error as { walk: (f: (e: unknown) => boolean) => { data?: Hex } | null }).walk((e) => typeof (e as { data?: unknown }).data === 'string')?.data
      return decodeRevert(raw)
    }
    throw new Error('the call did not revert')
  }
  /** Sends the arb from the owner; returns the receipt, the Arb event and the executor's quote balance change. */
  async function trade(r: Route, size: bigint, minProfit: bigint) {
    const before = await balanceOf(r.pair.quote.address, executor)
    const receipt = await send(devnet.client, 'arb', { from: OPERATOR, to: executor, data: encodeArb(arbCall(r, size, minProfit)), gas: 3_000_000n })
    const after = await balanceOf(r.pair.quote.address, executor)
    return { receipt, event: arbEvent(receipt.logs, executor), delta: after - before }
  }

  beforeAll(async () => {
    devnet = await startDevnet()
    executor = getAddress(await deploy(devnet.client, 'ArbExecutor', [], OPERATOR))
    fake = getAddress(await deploy(devnet.client, 'FakePool', [], STRANGER))
    const m = market(devnet.client, devnet.deployment)
    // Gaps for every kind pair: V2 WETH/USDC pushed up to ~3,150, Algebra ARB/WETH pushed up too.
    await m.swap({ venue: 'uniswap_v2', tokenIn: 'USDC', tokenOut: 'WETH', amountIn: 40_000n * 10n ** 6n })
    await m.swap({ venue: 'algebra_integral', tokenIn: 'WETH', tokenOut: 'ARB', amountIn: 3n * WETH })
  }, 60_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: the deployed code is the artifact with the owner in its immutables; it holds no allowance, ever', async () => {
    expect(await devnet.client.getCode({ address: executor })).toBe(executorRuntime(OPERATOR))
    expect(await devnet.client.readContract({ address: executor, abi: executorAbi, functionName: 'owner' })).toBe(OPERATOR)
    // No approve in its code at all (selector 0x095ea7b3).
    expect(executorRuntime(OPERATOR).toLowerCase()).not.toContain('095ea7b3')
  })

  // Every ordered kind pair (sell kind → buy kind) the devnet can hold (one Algebra pool and one
  // V2 pair per token pair, so Algebra → Algebra and V2 → V2 have no route), each on a real gap.
  test.each([
    ['V3 → V3', 'WETH/USDC', 'sushiswap_v3:3000', 'uniswap_v3:500', WETH],
    ['V3 → V3 (Uniswap → Uniswap, ARB/WETH)', 'ARB/WETH', 'uniswap_v3:3000', 'uniswap_v3:500', 100n * WETH],
    ['V3 → Algebra', 'WETH/USDC', 'sushiswap_v3:3000', 'algebra_integral', WETH / 2n],
    ['V3 → V2', 'ARB/WETH', 'sushiswap_v3:3000', 'uniswap_v2', 1000n * WETH],
    ['Algebra → V3', 'ARB/WETH', 'algebra_integral', 'uniswap_v3:500', 1000n * WETH],
    ['Algebra → V2', 'ARB/WETH', 'algebra_integral', 'uniswap_v2', 1000n * WETH],
    ['V2 → V3', 'WETH/USDC', 'uniswap_v2', 'uniswap_v3:500', WETH],
    ['V2 → Algebra', 'WETH/USDC', 'uniswap_v2', 'algebra_integral', WETH / 2n],
  ])('behavior: %s pays exactly the predicted profit', async (_, pair, sell, buy, size) => {
    const r = route(devnet, pair, sell, buy)
    const { sellOut, buyIn } = await predict(devnet, r, size)
    expect(sellOut).not.toBeNull()
    expect(buyIn).not.toBeNull()
    const gross = sellOut! - buyIn!
    expect(gross).toBeGreaterThan(0n)
    const { receipt, event, delta } = await trade(r, size, gross)
    expect(receipt.status).toBe('success')
    expect(event).toEqual({ sellPool: r.sellPool, buyPool: r.buyPool, size, quoteOut: sellOut!, quoteIn: buyIn!, profit: gross })
    expect(delta).toBe(gross)
  })

  test('error: a profit below minProfit reverts ProfitTooLow(profit, minProfit) and moves nothing', async () => {
    const r = route(devnet, 'WETH/USDC', 'sushiswap_v3:3000', 'uniswap_v3:500')
    const { sellOut, buyIn } = await predict(devnet, r, WETH / 10n)
    const gross = sellOut! - buyIn!
    expect(await revertOf(OPERATOR, executor, encodeArb(arbCall(r, WETH / 10n, gross + 1n)))).toEqual({ name: 'ProfitTooLow', args: [String(gross), String(gross + 1n)], text: `ProfitTooLow(${gross}, ${gross + 1n})` })
    const before = await balanceOf(r.pair.quote.address, executor)
    await expect(send(devnet.client, 'arb', { from: OPERATOR, to: executor, data: encodeArb(arbCall(r, WETH / 10n, gross + 1n)), gas: 3_000_000n })).rejects.toThrow()
    expect(await balanceOf(r.pair.quote.address, executor)).toBe(before)
  })

  test('error: a route that loses money reverts Unprofitable(quoteOut, quoteIn) with both legs\' figures', async () => {
    const r = route(devnet, 'WETH/USDC', 'uniswap_v3:500', 'sushiswap_v3:3000')
    const { sellOut, buyIn } = await predict(devnet, r, WETH)
    expect(sellOut! < buyIn!).toBe(true)
    expect(await revertOf(OPERATOR, executor, encodeArb(arbCall(r, WETH, 0n)))).toMatchObject({ name: 'Unprofitable', args: [String(sellOut), String(buyIn)] })
  })

  test('error: a pool that cannot fill the size reverts ShortFill', async () => {
    // The WBTC/WETH Sushi 0.05% pool holds 0.0005 WBTC: buying 0.01 WBTC from it runs it dry.
    const r = route(devnet, 'WBTC/WETH', 'uniswap_v3:3000', 'sushiswap_v3:500')
    const revert = await revertOf(OPERATOR, executor, encodeArb(arbCall(r, 10n ** 6n, 0n)))
    expect(revert.name).toBe('ShortFill')
    expect(BigInt(revert.args[0]!)).toBeLessThan(10n ** 6n)
    expect(revert.args[1]).toBe('1000000')
  })

  test('error: only the owner trades or sweeps (NotOwner)', async () => {
    const r = route(devnet, 'WETH/USDC', 'sushiswap_v3:3000', 'uniswap_v3:500')
    expect((await revertOf(STRANGER, executor, encodeArb(arbCall(r, WETH / 10n, 0n)))).name).toBe('NotOwner')
    const sweep = encodeFunctionData({ abi: executorAbi, functionName: 'sweep', args: [r.pair.quote.address, STRANGER, 1n] })
    expect((await revertOf(STRANGER, executor, sweep)).name).toBe('NotOwner')
  })

  test('error: an unknown pool kind is BadKind', async () => {
    const r = route(devnet, 'WETH/USDC', 'sushiswap_v3:3000', 'uniswap_v3:500')
    expect((await revertOf(OPERATOR, executor, encodeArb({ ...arbCall(r, WETH / 10n, 0n), buyKind: 3 as never }))).text).toBe('BadKind(3)')
    expect((await revertOf(OPERATOR, executor, encodeArb({ ...arbCall(r, WETH / 10n, 0n), sellKind: 7 as never }))).text).toBe('BadKind(7)')
  })

  test.each([
    ['uniswapV3SwapCallback', [-1n, 10n ** 9n, '0x']],
    ['algebraSwapCallback', [10n ** 9n, -1n, '0x']],
    ['uniswapV2Call', ['EXECUTOR', 0n, 10n ** 9n, '0x01']],
  ] as const)('error: a forged %s from an EOA, outside any trade, is BadCallback(caller)', async (functionName, args) => {
    const data = encodeFunctionData({ abi: executorAbi, functionName, args: args.map((a) => (a === 'EXECUTOR' ? executor : a)) })
    expect(await revertOf(STRANGER, executor, data)).toEqual({ name: 'BadCallback', args: [STRANGER], text: `BadCallback(${STRANGER})` })
  })

  test.each(['forgeV3', 'forgeAlgebra', 'forgeV2'] as const)('error: a fake pool contract\'s %s is BadCallback(pool); the executor\'s tokens stay put', async (fn) => {
    const fakeAbi = parseAbi([
      'function forgeV3(address, int256, int256)', 'function forgeAlgebra(address, int256, int256)', 'function forgeV2(address, address, uint256, uint256)',
    ])
    const args = fn === 'forgeV2' ? [executor, executor, 0n, 10n ** 9n] : fn === 'forgeV3' ? [executor, -1n, 10n ** 9n] : [executor, 10n ** 9n, -1n]
    const data = encodeFunctionData({ abi: fakeAbi, functionName: fn, args: args as never })
    const usdc = devnet.deployment.tokens.USDC
    const held = await balanceOf(usdc, executor)
    expect(held).toBeGreaterThan(0n)
    expect(await revertOf(STRANGER, fake, data)).toEqual({ name: 'BadCallback', args: [fake], text: `BadCallback(${fake})` })
    expect(await balanceOf(usdc, executor)).toBe(held)
  })

  test('behavior: the owner sweeps profit out; no allowance to any pool or router was ever granted', async () => {
    const usdc = devnet.deployment.tokens.USDC
    const held = await balanceOf(usdc, executor)
    const before = await balanceOf(usdc, OPERATOR)
    await send(devnet.client, 'sweep', { from: OPERATOR, to: executor, data: encodeFunctionData({ abi: executorAbi, functionName: 'sweep', args: [usdc, OPERATOR, held] }) })
    expect(await balanceOf(usdc, executor)).toBe(0n)
    expect(await balanceOf(usdc, OPERATOR)).toBe(before + held)
    const d = devnet.deployment
    const spenders = [d.uniswapV3.router, d.sushiV3.router, d.uniswapV2.router, d.algebra.router, ...devnet.pools.map((p) => route(devnet, p.pair, p.venue, p.venue).sellPool)]
    for (const token of Object.values(d.tokens)) {
      for (const spender of spenders) expect(await devnet.client.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [executor, spender] })).toBe(0n)
    }
  })
})
