import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { decodeFunctionResult, encodeFunctionData, toHex, zeroAddress, type Abi, type Address, type Hex } from 'viem'
import { loadConfig } from '../../lib/config/load.ts'
import type { ScanSnapshot } from '../../lib/contract/scanSnapshot.ts'
import { market } from '../../lib/devnet/market.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { tempDir } from '../helpers/cli.ts'

// ABIs straight from the npm artifacts and raw JSON-RPC: not the scanner's code path.
const require = createRequire(import.meta.url)
const abiOf = (path: string) => (JSON.parse(readFileSync(require.resolve(path), 'utf8')) as { abi: Abi }).abi
const QUOTER_V2 = abiOf('@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json')
const ALGEBRA_QUOTER = abiOf('@cryptoalgebra/integral-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json')
const V2_ROUTER = abiOf('@uniswap/v2-periphery/build/UniswapV2Router02.json')

const config = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)

async function ethCall(url: string, to: Address, data: Hex, block: number): Promise<Hex> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to, data }, toHex(block)] }) })
  const body = await response.json() as { result?: Hex; error?: { message: string } }
  if (!body.result) throw new Error(body.error?.message ?? 'no result')
  return body.result
}

/** Re-quotes one snapshot quote with a plain eth_call at `block`: [amountIn, amountOut]. */
async function requote(url: string, quote: ScanSnapshot['quotes'][number], block: number): Promise<[bigint, bigint]> {
  const pair = config.pairs.find((p) => p.name === quote.pair)!
  const venue = config.venues.find((v) => v.key === quote.venue)!
  const size = BigInt(quote.size)
  const sell = quote.side === 'sell'
  const [tokenIn, tokenOut] = sell ? [pair.base.address, pair.quote.address] : [pair.quote.address, pair.base.address]
  if (venue.type === 'uniswap_v2') {
    const fn = sell ? 'getAmountsOut' : 'getAmountsIn'
    const data = await ethCall(url, venue.quoter, encodeFunctionData({ abi: V2_ROUTER, functionName: fn, args: [size, [tokenIn, tokenOut]] }), block)
    const amounts = decodeFunctionResult({ abi: V2_ROUTER, functionName: fn, data }) as bigint[]
    return [amounts[0]!, amounts[1]!]
  }
  if (venue.type === 'algebra') {
    const fn = sell ? 'quoteExactInputSingle' : 'quoteExactOutputSingle'
    const params = sell
      ? { tokenIn, tokenOut, deployer: zeroAddress, amountIn: size, limitSqrtPrice: 0n }
      : { tokenIn, tokenOut, deployer: zeroAddress, amount: size, limitSqrtPrice: 0n }
    const data = await ethCall(url, venue.quoter, encodeFunctionData({ abi: ALGEBRA_QUOTER, functionName: fn, args: [params] }), block)
    const [amountOut, amountIn] = decodeFunctionResult({ abi: ALGEBRA_QUOTER, functionName: fn, data }) as bigint[]
    return [amountIn!, amountOut!]
  }
  const fn = sell ? 'quoteExactInputSingle' : 'quoteExactOutputSingle'
  const params = sell
    ? { tokenIn, tokenOut, amountIn: size, fee: venue.fee, sqrtPriceLimitX96: 0n }
    : { tokenIn, tokenOut, amount: size, fee: venue.fee, sqrtPriceLimitX96: 0n }
  const data = await ethCall(url, venue.quoter, encodeFunctionData({ abi: QUOTER_V2, functionName: fn, args: [params] }), block)
  const [amount] = decodeFunctionResult({ abi: QUOTER_V2, functionName: fn, data }) as bigint[]
  return sell ? [size, amount!] : [amount!, size]
}

describe('REAL scan truth on the devnet', () => {
  let devnet: Devnet
  let snapshot: ScanSnapshot

  beforeAll(async () => {
    devnet = await startDevnet()
    const result = await scanJob({ mode: 'real', configPath: 'config/smoke.yaml', rpc: [devnet.url], cycles: 1, outputDir: tempDir() })
    snapshot = result.outcomes[0]!.artifacts.snapshot
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('default: REGISTRY_REAL, pinned to the chain head, quotes from every venue family', () => {
    expect(snapshot.run_mode).toBe('REGISTRY_REAL')
    expect(snapshot.synthetic).toBe(false)
    expect(snapshot.current_block).toBeGreaterThan(350_000_000)
    const families = new Set(snapshot.registry.pools.map((p) => p.dex_type))
    expect([...families].sort()).toEqual(['algebra', 'uniswap_v2', 'uniswap_v3'])
  })

  test('behavior: every fetched quote equals an independent eth_call at the pinned block, to the wei', async () => {
    const fetched = snapshot.quotes.filter((q) => q.amount_in !== null)
    expect(fetched.length).toBeGreaterThan(90)
    for (const quote of fetched) {
      const [amountIn, amountOut] = await requote(devnet.url, quote, snapshot.current_block)
      expect({ id: quote.id, amountIn: amountIn.toString(), amountOut: amountOut.toString() })
        .toEqual({ id: quote.id, amountIn: quote.amount_in!, amountOut: quote.amount_out! })
    }
  })

  test('behavior: a price move after the pin leaves the scan\'s block unchanged and shows at the new head', async () => {
    const sample = snapshot.quotes.find((q) => q.id === `WETH/USDC|sushiswap_v3:3000|sell|${10n ** 18n}`)!
    await market(devnet.client, devnet.deployment).swap({ venue: 'sushiswap_v3:3000', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 100n * 10n ** 18n })
    const head = Number(await devnet.client.getBlockNumber())
    expect(head).toBeGreaterThan(snapshot.current_block)
    const [, atPin] = await requote(devnet.url, sample, snapshot.current_block)
    const [, atHead] = await requote(devnet.url, sample, head)
    expect(atPin.toString()).toBe(sample.amount_out!)
    expect(atHead).toBeLessThan(atPin)
    // A new scan pins the new head and sees the moved price.
    const rescan = await scanJob({ mode: 'real', configPath: 'config/smoke.yaml', rpc: [devnet.url], cycles: 1, outputDir: tempDir() })
    const moved = rescan.outcomes[0]!.artifacts.snapshot
    expect(moved.current_block).toBe(head)
    expect(moved.quotes.find((q) => q.id === sample.id)!.amount_out).toBe(atHead.toString())
  })
})
