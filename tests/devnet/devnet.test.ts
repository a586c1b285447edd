import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { encodeFunctionData, decodeFunctionResult, parseAbi, type Address } from 'viem'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { seededPoolAddress } from '../../lib/devnet/describe.ts'
import { market } from '../../lib/devnet/market.ts'
import { loadSeedSpec } from '../../lib/devnet/seedSpec.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { freshStateMeta } from '../../lib/devnet/state.ts'
import { runCli } from '../helpers/cli.ts'

/** Plain JSON-RPC, no viem client: an independent view of the chain. */
async function rpc(url: string, method: string, params: unknown[]): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = await response.json() as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result
}

const quoterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'function quoteExactInputSingle(P params) returns (uint256 amountOut, uint160, uint32, uint256)',
])

async function quoteWethUsdc500(url: string, block = 'latest'): Promise<bigint> {
  const data = encodeFunctionData({ abi: quoterAbi, functionName: 'quoteExactInputSingle', args: [{ tokenIn: CANONICAL.WETH, tokenOut: CANONICAL.USDC, amountIn: 10n ** 18n, fee: 500, sqrtPriceLimitX96: 0n }] })
  const result = await rpc(url, 'eth_call', [{ to: CANONICAL.uniswapV3QuoterV2, data }, block])
  return decodeFunctionResult({ abi: quoterAbi, functionName: 'quoteExactInputSingle', data: result })[0]
}

describe('embedded devnet', () => {
  let devnet: Devnet

  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('default: loads the committed state, chain 42161, Arbitrum-sized blocks, on 127.0.0.1', async () => {
    expect(devnet.source).toBe('state')
    expect(devnet.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(Number(await rpc(devnet.url, 'eth_chainId', []))).toBe(42_161)
    expect(Number(await rpc(devnet.url, 'eth_blockNumber', []))).toBeGreaterThan(350_000_000)
  })

  test('behavior: every canonical address has code', async () => {
    for (const [name, address] of Object.entries(CANONICAL)) {
      const code = await rpc(devnet.url, 'eth_getCode', [address, 'latest'])
      expect({ name, hasCode: code.length > 2 }).toEqual({ name, hasCode: true })
    }
  })

  test('behavior: pools sit at their CREATE2 addresses, as the factories report them', async () => {
    const v3 = parseAbi(['function getPool(address, address, uint24) view returns (address)'])
    const v2 = parseAbi(['function getPair(address, address) view returns (address)'])
    const algebra = parseAbi(['function poolByPair(address, address) view returns (address)'])
    const d = devnet.deployment
    for (const pool of devnet.pools) {
      const [base, quote] = pool.pair.split('/') as ['WETH', 'USDC']
      const [a, b] = [d.tokens[base], d.tokens[quote]]
      const [dex, fee] = pool.venue.split(':')
      const fromFactory = dex === 'uniswap_v3' || dex === 'sushiswap_v3'
        ? await devnet.client.readContract({ address: dex === 'uniswap_v3' ? d.uniswapV3.factory : d.sushiV3.factory, abi: v3, functionName: 'getPool', args: [a, b, Number(fee)] })
        : dex === 'uniswap_v2'
          ? await devnet.client.readContract({ address: d.uniswapV2.factory, abi: v2, functionName: 'getPair', args: [a, b] })
          : await devnet.client.readContract({ address: d.algebra.factory, abi: algebra, functionName: 'poolByPair', args: [a, b] })
      expect(fromFactory).toBe(seededPoolAddress(d, pool.pair, pool.venue))
    }
    // The real Arbitrum One WETH/USDC 0.05% pool address.
    expect(seededPoolAddress(d, 'WETH/USDC', 'uniswap_v3:500')).toBe('0xC6962004f452bE9203591991D15f6b388e09E8D0')
  })

  test('behavior: QuoterV2 at the canonical address quotes WETH→USDC 0.05% near the seeded 3000', async () => {
    const out = await quoteWethUsdc500(devnet.url)
    expect(out).toBeGreaterThan(2_990n * 10n ** 6n)
    expect(out).toBeLessThan(3_000n * 10n ** 6n)
  })

  test('behavior: config/devnet.yaml names the Algebra contracts actually deployed', () => {
    const algebra = loadSeedSpec().dexes.algebra_integral!
    expect(algebra.type).toBe('algebra')
    expect(algebra.factory.toLowerCase()).toBe(devnet.deployment.algebra.factory.toLowerCase())
    expect((algebra as { quoter: Address }).quoter.toLowerCase()).toBe(devnet.deployment.algebra.quoter.toLowerCase())
  })

  test('behavior: the committed state is built from the current seed, and seeding fresh gives the same chain', async () => {
    expect(freshStateMeta()).not.toBeNull()
    const fresh = await startDevnet({ state: 'fresh' })
    try {
      expect(fresh.deployment).toEqual(devnet.deployment)
      expect(await quoteWethUsdc500(fresh.url)).toBe(await quoteWethUsdc500(devnet.url))
    } finally {
      await fresh.stop()
    }
  })

  test('behavior: the market helper moves prices through the real router; snapshots restore them', async () => {
    const m = market(devnet.client, devnet.deployment)
    const before = await quoteWethUsdc500(devnet.url)
    const id = await m.snapshot()
    await m.swap({ venue: 'uniswap_v3:500', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 50n * 10n ** 18n })
    const after = await quoteWethUsdc500(devnet.url)
    expect(after).toBeLessThan(before)
    await m.burn({ venue: 'uniswap_v3:500', tokenId: 1n, fraction: 0.5 })
    expect(await quoteWethUsdc500(devnet.url)).toBeLessThan(after) // less depth, more impact
    await m.revert(id)
    expect(await quoteWethUsdc500(devnet.url)).toBe(before)
  })

  test('behavior: with interval blocks the base fee stays at Arbitrum\'s 0.01 gwei floor (anvil alone would decay it 12.5% a block); automine blocks are one second apart', async () => {
    const interval = await startDevnet({ blockTime: 0.1 })
    try {
      const first = BigInt(await rpc(interval.url, 'eth_blockNumber', []))
      while (BigInt(await rpc(interval.url, 'eth_blockNumber', [])) < first + 10n) await Bun.sleep(50)
      const fees = await Promise.all(Array.from({ length: 8 }, async (_, i) => BigInt((await rpc(interval.url, 'eth_getBlockByNumber', [`0x${(first + 2n + BigInt(i)).toString(16)}`, false])).baseFeePerGas)))
      // At the floor (a block the keeper's timer missed under load decays once, never twice).
      expect(fees.filter((fee) => fee === 10_000_000n).length).toBeGreaterThanOrEqual(6)
      expect(fees.every((fee) => fee >= 8_750_000n)).toBe(true)
    } finally {
      await interval.stop()
    }
    await devnet.client.mine({ blocks: 2 })
    const head = await devnet.client.getBlock({ blockTag: 'latest' })
    const parent = await devnet.client.getBlock({ blockNumber: head.number - 1n })
    expect(head.timestamp - parent.timestamp).toBe(1n)
  })

  test('error: `devnet --port` on a taken port says so in anvil\'s own words (exit 3)', async () => {
    const port = new URL(devnet.url).port
    const result = await runCli(['devnet', '--port', port], { timeoutMs: 20_000 })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(`ANVIL_START_FAILED: anvil exited before listening: port ${port} is already in use`)
    expect(result.stderr).toMatch(/anvil: .*[Aa]ddress already in use/)
  })
})
