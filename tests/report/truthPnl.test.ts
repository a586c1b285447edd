import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import { bpsString, toFixedPlaces } from '../../lib/math/ratio.ts'
import { buildArtifacts } from '../../lib/report/build.ts'
import { deriveResult } from '../../lib/scan/cycleResult.ts'
import { evaluateCycle, evaluationMemo } from '../../lib/scan/evaluate.ts'
import { Valuation, usdMicroAt } from '../../lib/scan/valuation.ts'
import { cycleInput, quoteOf } from '../scan/fixtures.ts'

const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
const WETH = 10n ** 18n
const ARB = 10n ** 18n
const USDC = 10n ** 6n
const at = '2026-01-01T00:00:00.000Z'

/** ARB/WETH at 0.0005 WETH per ARB on its anchor, 5% more on sushiswap_v3:3000 (an opportunity priced in WETH), and WETH at `usdPerWeth` USDC. */
function market(usdPerWeth: bigint) {
  const arb = (venue: string, side: 'sell' | 'buy', weth: bigint) => quoteOf(config, 'ARB/WETH', venue, side, 100n * ARB, weth)
  const usd = (side: 'sell' | 'buy') => quoteOf(config, 'WETH/USDC', 'uniswap_v3:500', side, WETH / 10n, (usdPerWeth * USDC) / 10n)
  return [arb('uniswap_v3:500', 'sell', WETH / 20n), arb('uniswap_v3:500', 'buy', WETH / 20n), arb('sushiswap_v3:3000', 'sell', (WETH * 105n) / 2000n), usd('sell'), usd('buy')]
}

describe('the truth report\'s signal PnL', () => {
  test('behavior: over every opportunity, in micro-USD at the cycle\'s own rate — the same spread valued again when the rate moves', () => {
    const memo = evaluationMemo()
    const input = cycleInput(market(3000n))
    const result = evaluateCycle(input, config, memo)
    expect(result.opportunities.map((o) => o.pair)).toEqual(['ARB/WETH'])
    const expected = (valuation: Valuation) => {
      let [signal, notional] = [0n, 0n]
      for (const { spread } of result.opportunitySpreads) {
        signal += spread.netUsdMicro!
        notional += usdMicroAt(spread.buy.amountIn, valuation.usdRoute(spread.pair.quote)!)
      }
      return { signal_pnl_bps: bpsString(signal, notional), signal_pnl_usdc: toFixedPlaces(signal, 6, 6) }
    }
    const first = buildArtifacts(input, result, config, at).truth.pnl
    expect(first).toMatchObject(expected(result.valuation!))
    // 0.05 WETH spent at 3,000 USDC: 150 USDC of notional.
    expect(first.signal_pnl_bps).toBe(bpsString(BigInt(result.opportunitySpreads[0]!.spread.netUsdMicro!), 150n * USDC))

    // The very spreads, valued at another block's rate (WETH at 2,000 USDC): the notional follows it.
    const cheaper = evaluateCycle(cycleInput(market(2000n)), config)
    const again = deriveResult(result, { valuation: cheaper.valuation })
    expect(again.opportunitySpreads[0]!.spread).toBe(result.opportunitySpreads[0]!.spread)
    const second = buildArtifacts(input, again, config, at).truth.pnl
    expect(second).toMatchObject(expected(cheaper.valuation!))
    expect(second.signal_pnl_bps).not.toBe(first.signal_pnl_bps)
    // And back: the first rate's figure again.
    expect(buildArtifacts(input, result, config, at).truth.pnl).toEqual(first)
  })
})
