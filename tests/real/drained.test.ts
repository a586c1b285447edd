import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Quote } from '../../lib/contract/parts.ts'
import type { Band } from '../../lib/devnet/bands.ts'
import { market } from '../../lib/devnet/market.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { tempDir } from '../helpers/cli.ts'

const WETH = 10n ** 18n
const USDC = 10n ** 6n

/**
 * Thin liquidity: one band at the price and thin bands far away on both sides, reaching past
 * the bitmap words a local quote reads. Selling 1 WETH walks many ticks; 10 WETH runs the pool
 * dry (the swap reaches its price limit). The on-chain quoter needs ~5 M gas for such walks.
 */
function thinBands(step: number, count: number, perBand: bigint): Band[] {
  const bands: Band[] = [{ from: -1, to: 1, amount0: WETH / 20n, amount1: 150n * USDC }]
  for (let i = 1; i <= count; i++) {
    bands.push({ from: -step * i - 2, to: -step * i, amount0: perBand, amount1: perBand * 3000n / 10n ** 12n })
    bands.push({ from: step * i, to: step * i + 2, amount0: perBand, amount1: perBand * 3000n / 10n ** 12n })
  }
  return bands
}

/** config/smoke.yaml (every venue of the devnet) with WETH/USDC sized 0.05, 0.5 and 10. */
function config(): string {
  const text = readFileSync(new URL('../../config/smoke.yaml', import.meta.url), 'utf8')
    .replace('{ base: WETH, quote: USDC, sizes: ["0.1", "1", "10"]', '{ base: WETH, quote: USDC, sizes: ["0.05", "0.5", "10"]')
  const path = join(tempDir(), 'drained.yaml')
  writeFileSync(path, text)
  return path
}

describe('a drained pool: partial fills and long walks, local vs on-chain quoter', () => {
  let devnet: Devnet
  let local: Quote[]
  let onchain: Quote[]
  let rates: (number | null)[]

  beforeAll(async () => {
    devnet = await startDevnet()
    const m = market(devnet.client, devnet.deployment)
    // Uniswap V3 0.05% WETH/USDC (NFT 1) and the Algebra WETH/USDC pool (its NFT 1): full range out, bands in.
    await m.burn({ venue: 'uniswap_v3:500', tokenId: 1n })
    await m.addBands({ pair: 'WETH/USDC', venue: 'uniswap_v3:500', bands: thinBands(25, 60, WETH / 100n) })
    await m.burn({ venue: 'algebra_integral', tokenId: 1n })
    await m.addBands({ pair: 'WETH/USDC', venue: 'algebra_integral', bands: thinBands(5, 10, WETH / 10n) })
    const path = config()
    const run = async (quoter: 'local' | 'onchain') => {
      const { outcomes } = await scanJob({ mode: 'real', configPath: path, rpc: [devnet.url], cycles: 1, quoter, outputDir: tempDir() })
      return outcomes[0]!.artifacts
    }
    const [a, b] = [await run('local'), await run('onchain')]
    expect(a.snapshot.current_block).toBe(b.snapshot.current_block)
    local = a.snapshot.quotes
    onchain = b.snapshot.quotes
    rates = [a.truth.health.rpc_success_rate, b.truth.health.rpc_success_rate]
  }, 120_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  const pick = (quotes: Quote[], venue: string, side: string, size: bigint) => quotes.find((q) => q.id === `WETH/USDC|${venue}|${side}|${size}`)!

  test('behavior: a swap that runs the pool dry is POOL_NO_LIQUIDITY with its figures, never a partial quote, in both modes', () => {
    for (const quotes of [local, onchain]) {
      for (const venue of ['uniswap_v3:500', 'algebra_integral']) {
        for (const side of ['sell', 'buy']) {
          const quote = pick(quotes, venue, side, 10n * WETH)
          expect(quote.status).toBe('rejected')
          expect(quote.reject_code).toBe('POOL_NO_LIQUIDITY')
          expect(quote.amount_out).toBeNull()
          expect(quote.reason).toMatch(/runs out of liquidity (selling|buying) 10000000000000000000 WETH units: its price reaches the limit/)
        }
      }
    }
    // The figures: what the pool would have done before its limit (Algebra's quoter reports both sides).
    expect(pick(onchain, 'algebra_integral', 'sell', 10n * WETH).reason).toMatch(/after taking \d+ WETH units and paying out \d+ USDC units/)
    expect(pick(local, 'algebra_integral', 'sell', 10n * WETH).reason).toBe(pick(onchain, 'algebra_integral', 'sell', 10n * WETH).reason)
  })

  test('behavior: long tick walks that need millions of gas are quoted, not misreported as reverts or RPC errors', () => {
    for (const side of ['sell', 'buy']) {
      const walk = pick(onchain, 'uniswap_v3:500', side, WETH / 2n)
      // Computed (a later gate may still find the price too far from the smallest size's).
      expect(walk.amount_in).not.toBeNull()
      expect(walk.ticks_crossed).toBeGreaterThan(40)
      // QuoterV2's own gas figure: far more than the 1 M a call gets in the first round.
      expect(BigInt(walk.gas_estimate!)).toBeGreaterThan(1_000_000n)
    }
    for (const quotes of [local, onchain]) {
      expect(quotes.filter((q) => q.reject_code === 'QUOTE_REVERT' || q.reject_code === 'INFRA_RPC_ERROR')).toEqual([])
    }
    // Local mode had to ask the chain for walks past the words it read: those went through the on-chain quoter.
    expect(local.some((q) => q.venue === 'uniswap_v3:500' && q.quoter === 'onchain')).toBe(true)
  })

  test('behavior: local and on-chain modes give the same verdict and the same amounts for every quote', () => {
    expect(local.map((q) => q.id)).toEqual(onchain.map((q) => q.id))
    onchain.forEach((q, i) => {
      const l = local[i]!
      expect([l.id, l.amount_in, l.amount_out]).toEqual([q.id, q.amount_in, q.amount_out])
      // The fetch verdict (partial fill, revert) is the quoter's; later gates see the same amounts.
      expect([l.id, l.reject_code === 'POOL_NO_LIQUIDITY']).toEqual([q.id, q.reject_code === 'POOL_NO_LIQUIDITY'])
    })
  })

  test('behavior: a healthy endpoint stays at a 100% RPC success rate through all of it', () => {
    expect(rates).toEqual([1, 1])
  })
})
