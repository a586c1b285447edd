import type { Config, Pair } from '../config/resolve.ts'
import type { Opportunity, Reject } from '../contract/parts.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { formatPrice } from '../math/ratio.ts'
import { makeReject } from './reject.ts'
import { quoteId, type QuoteOk } from './types.ts'
import type { Valuation } from './valuation.ts'

export type CandidateResult = {
  total: number
  opportunities: Opportunity[]
  signals: SpreadSignal[]
  rejects: Reject[]
  costModelAvailable: boolean
}

type Context = {
  config: Config
  passed: Map<string, QuoteOk>
  slippageBps: Map<string, number>
  gasPriceWei: bigint | null
  valuation: Valuation
}

/**
 * Every (pair, size, buy venue, sell venue) with both legs quoted: buy `size` base
 * on one venue (exact output), sell the same `size` on another (exact input).
 * Gross and net profit are exact bigints in quote-token units.
 */
export function evaluateCandidates(ctx: Context): CandidateResult {
  const out: CandidateResult = { total: 0, opportunities: [], signals: [], rejects: [], costModelAvailable: ctx.gasPriceWei !== null }
  for (const pair of ctx.config.pairs) {
    const venues = ctx.config.venues.map((venue) => venue.key)
    for (const size of pair.sizes) {
      for (const buyVenue of venues) {
        const buy = ctx.passed.get(quoteId(pair.name, buyVenue, 'buy', size))
        if (!buy) continue
        for (const sellVenue of venues) {
          if (sellVenue === buyVenue) continue
          const sell = ctx.passed.get(quoteId(pair.name, sellVenue, 'sell', size))
          if (!sell) continue
          out.total++
          evaluateOne(ctx, out, pair, size, buy, sell)
        }
      }
    }
  }
  // Different pairs profit in different tokens: rank by USD value (display ratio), then by id.
  out.opportunities.sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity) || a.id.localeCompare(b.id))
  out.signals.sort((a, b) => (b.estimated_profit_usd ?? 0) - (a.estimated_profit_usd ?? 0) || b.spread_bps - a.spread_bps)
  return out
}

function evaluateOne(ctx: Context, out: CandidateResult, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk): void {
  const { config } = ctx
  const id = `${pair.name}|${buy.request.venue.key}>${sell.request.venue.key}|${size}`
  const where = { pair: pair.name, buy_venue: buy.request.venue.key, sell_venue: sell.request.venue.key, size: size.toString() }
  const cost = buy.amountIn
  const gross = sell.amountOut - cost
  const spreadBps = (Number(gross * 1_000_000n / cost) / 1_000_000) * 10_000

  const gasUnits = gasOf(buy, config) + gasOf(sell, config) + BigInt(config.gas.overhead_units)
  const gasCostWei = ctx.gasPriceWei === null ? null : gasUnits * ctx.gasPriceWei
  const gasCost = gasCostWei === null ? null : ctx.valuation.gasCost(gasCostWei, pair.quote)
  const net = gasCost === null ? null : gross - gasCost
  const threshold = maxBig(pair.minNetProfit, (cost * BigInt(Math.round(config.gates.min_net_profit_bps * 100))) / 1_000_000n)
  const netUsd = net === null ? null : ctx.valuation.usd(net, pair.quote)
  const slippage = Math.max(ctx.slippageBps.get(buy.request.id) ?? 0, ctx.slippageBps.get(sell.request.id) ?? 0)
  const profitableNet = net !== null && net >= threshold && gross > 0n
  const confidence = !profitableNet ? 'low' : net >= 2n * threshold && slippage < config.gates.max_slippage_bps / 2 ? 'high' : 'medium'

  if (gross > 0n) {
    out.signals.push({
      pair: pair.name,
      size: size.toString(),
      buy_dex: buy.request.venue.key,
      sell_dex: sell.request.venue.key,
      buy_price: formatPrice(buy.amountIn, buy.amountOut, pair.base.decimals, pair.quote.decimals),
      sell_price: formatPrice(sell.amountOut, sell.amountIn, pair.base.decimals, pair.quote.decimals),
      spread_bps: spreadBps,
      is_profitable: true,
      is_profitable_net: profitableNet,
      estimated_profit_usd: netUsd,
      confidence,
      buy_pool_address: buy.request.pool,
      sell_pool_address: sell.request.pool,
      buy_fee: buy.request.fee,
      sell_fee: sell.request.fee,
    })
  }

  if (gross <= 0n) {
    out.rejects.push(makeReject('PNL_NEGATIVE', 'candidate', `sell returns ${sell.amountOut}, buy costs ${cost} (${spreadBps.toFixed(1)} bps)`, where))
    return
  }
  if (gasCost === null || net === null || gasCostWei === null) {
    out.costModelAvailable = false
    out.rejects.push(makeReject('PREFLIGHT_VALIDATION_FAILED', 'candidate', `no gas price or no WETH→${pair.quote.symbol} rate at this block`, where))
    return
  }
  if (net < threshold) {
    out.rejects.push(makeReject('PNL_BELOW_THRESHOLD', 'candidate', `net ${net} < threshold ${threshold} ${pair.quote.symbol} units (gross ${gross}, gas ${gasCost})`, where))
    return
  }
  out.opportunities.push({
    id,
    pair: pair.name,
    base: pair.base.symbol,
    quote: pair.quote.symbol,
    size: size.toString(),
    buy: leg(buy, { amount_in: cost.toString() }),
    sell: leg(sell, { amount_out: sell.amountOut.toString() }),
    gross_profit: gross.toString(),
    gas_units: gasUnits.toString(),
    gas_cost_wei: gasCostWei.toString(),
    gas_cost: gasCost.toString(),
    gas_cost_usd: ctx.valuation.usd(gasCost, pair.quote),
    net_profit: net.toString(),
    net_profit_usd: netUsd,
    spread_bps: spreadBps,
    confidence,
    is_execution_ready: false,
    execution_blockers: ['EXECUTION_DISABLED'],
  })
}

function leg<T>(quote: QuoteOk, amount: T) {
  const { venue, pool, id, fee } = quote.request
  return { venue: venue.key, dex: venue.dex, pool, fee, quote_id: id, ...amount }
}

/** The venue's own gas estimate where it gives one (QuoterV2, Algebra), else the configured V2 figure. */
function gasOf(quote: QuoteOk, config: Config): bigint {
  return quote.gasEstimate ?? BigInt(config.gas.v2_swap_units)
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}
