import { usdMicroOf, type Config } from '../config/resolve.ts'
import type { ExecutionCycle } from '../contract/execution.ts'
import type { Opportunity, OpportunityCore, Quote } from '../contract/parts.ts'
import type { ScanSnapshot } from '../contract/scanSnapshot.ts'
import type { TruthReport } from '../contract/truthReport.ts'
import type { RejectHistogram } from '../contract/rejectHistogram.ts'
import { REJECT_CODES, type RejectCode } from '../contract/rejectCodes.ts'
import { bpsString, formatPrice, toFixedPlaces } from '../math/ratio.ts'
import type { Spread } from '../scan/candidates.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { CycleInput } from '../scan/types.ts'
import { usdMicroAt, type UsdRoute, type Valuation } from '../scan/valuation.ts'

/**
 * The original arbybot's fields, computed from ARBY's exact values (README "Coming from
 * arbybot" says what each means where the original's meaning differs). Pure: the cycle's
 * input and verdict in, JSON-ready objects out.
 */
export type CompatContext = { input: CycleInput; result: CycleResult; config: Config; timestamp: string; execution?: ExecutionCycle | null }

type SpreadFieldValues = Pick<Opportunity, 'spread_id' | 'opportunity_id' | 'dex_buy' | 'dex_sell' | 'pool_buy' | 'pool_sell' | 'token_in' | 'token_out' | 'chain_id' | 'amount_in_numeraire' | 'amount_out_numeraire' | 'net_pnl_usdc' | 'net_pnl_bps' | 'confidence' | 'confidence_factors' | 'is_profitable' | 'reject_reason'>

/** `spread_<cycle>_<YYYYMMDD_HHMMSS>_`: the original's spread id (`…_<index>`) before the index. */
function spreadIdPrefix(cycle: number, timestamp: string): string {
  return `spread_${cycle}_${timestamp.slice(0, 10).replaceAll('-', '')}_${timestamp.slice(11, 19).replaceAll(':', '')}_`
}

const micro6 = (micro: bigint | null) => (micro === null ? null : toFixedPlaces(micro, 6, 6))

/** The confidence factors that are the cycle's, not the spread's. */
function cycleFactors(ctx: CompatContext) {
  const { input, result } = ctx
  const checked = result.sanityPassed + result.sanityFailed
  return {
    rpc_health: input.rpc.success_rate ?? 1,
    quote_coverage: result.stats.quote_fetch_rate,
    price_stability: checked === 0 ? 0.5 : result.sanityPassed / checked,
    dex_diversity: result.dexesActive >= 2 ? 1 : 0.5,
  }
}

/** The original's 3.2.0 confidence: 0.20·rpc + 0.20·coverage + 0.25·stability + 0.20·spread quality + 0.15·diversity. */
function confidenceAt(cycle: ReturnType<typeof cycleFactors>, netBps: number | null) {
  const factors = { rpc_health: cycle.rpc_health, quote_coverage: cycle.quote_coverage, price_stability: cycle.price_stability, spread_quality: spreadQuality(netBps), dex_diversity: cycle.dex_diversity }
  const score = 0.2 * factors.rpc_health + 0.2 * factors.quote_coverage + 0.25 * factors.price_stability + 0.2 * factors.spread_quality + 0.15 * factors.dex_diversity
  return { confidence: Math.round(score * 1000) / 1000, confidence_factors: factors }
}

/** 1 for 5–100 bps, linear below 5, easing to 0.5 at 500, 0.2 beyond (the original's curve). */
export function spreadQuality(bps: number | null): number {
  if (bps === null || bps <= 0) return 0
  if (bps < 5) return bps / 5
  if (bps <= 100) return 1
  if (bps <= 500) return Math.max(0.5, 1 - (bps - 100) / 800)
  return 0.2
}

type LastingFields = Omit<SpreadFieldValues, 'spread_id' | 'opportunity_id' | 'chain_id' | 'confidence' | 'confidence_factors'>

/**
 * The fields a spread's own figures decide, made once per spread object: a verdict a later
 * cycle keeps keeps its spread, so a long run formats each spread's numbers once, not every block.
 */
const lasting = new WeakMap<Spread, LastingFields>()
function lastingFields(spread: Spread): LastingFields {
  let known = lasting.get(spread)
  if (!known) {
    const { pair, buy, sell, net } = spread
    lasting.set(spread, known = {
      dex_buy: buy.request.venue.dex,
      dex_sell: sell.request.venue.dex,
      pool_buy: buy.request.pool,
      pool_sell: sell.request.pool,
      token_in: pair.base.symbol,
      token_out: pair.quote.symbol,
      amount_in_numeraire: toFixedPlaces(spread.size, pair.base.decimals, 6),
      amount_out_numeraire: toFixedPlaces(sell.amountOut, pair.quote.decimals, 6),
      net_pnl_usdc: micro6(spread.netUsdMicro),
      net_pnl_bps: net === null ? null : bpsString(net, buy.amountIn),
      is_profitable: net !== null && net > 0n,
      reject_reason: spread.code,
    })
  }
  return known
}

/** The original's fields of a spread at its place among the cycle's spreads (the cycle's id prefix and confidence factors found once). */
function spreadFieldsOf(ctx: CompatContext): (spread: Spread, index: number) => SpreadFieldValues {
  const prefix = spreadIdPrefix(ctx.input.cycle, ctx.timestamp)
  const factors = cycleFactors(ctx)
  return (spread, index) => {
    const fields = lastingFields(spread)
    const id = `${prefix}${index}`
    const { dex_buy, dex_sell, pool_buy, pool_sell, token_in, token_out, amount_in_numeraire, amount_out_numeraire, net_pnl_usdc, net_pnl_bps, is_profitable, reject_reason } = fields
    // The original's key order.
    return {
      spread_id: id, opportunity_id: `opp_${id}`, dex_buy, dex_sell, pool_buy, pool_sell, token_in, token_out, chain_id: ctx.input.chainId,
      amount_in_numeraire, amount_out_numeraire, net_pnl_usdc, net_pnl_bps,
      ...confidenceAt(factors, net_pnl_bps === null ? null : Number(net_pnl_bps)),
      is_profitable, reject_reason,
    }
  }
}

/** Each opportunity with the original's fields added (its spread's, by id). */
export function withSpreadFields(ctx: CompatContext, opportunities: OpportunityCore[]): Opportunity[] {
  const wanted = new Set(opportunities.map((core) => core.id))
  const spreads = new Map<string, CycleResult['opportunitySpreads'][number]>()
  for (const entry of ctx.result.opportunitySpreads) if (wanted.has(entry.spread.id)) spreads.set(entry.spread.id, entry)
  const fieldsOf = spreadFieldsOf(ctx)
  return opportunities.map((core) => {
    const { spread, index } = spreads.get(core.id)!
    return { ...core, ...fieldsOf(spread, index) }
  })
}

export function allSpreads(ctx: CompatContext): ScanSnapshot['all_spreads'] {
  return ctx.result.spreads.map(spreadRecords(ctx))
}

/** One spread as the original's `all_spreads` entry, given its place among the cycle's spreads. */
export function spreadRecords(ctx: CompatContext): (spread: Spread, index: number) => ScanSnapshot['all_spreads'][number] {
  // A spread that is an opportunity carries the opportunity's blockers; any other carries the mode's and its reject.
  const opportunities = new Map(ctx.result.opportunities.map((o) => [o.id, o]))
  const blockers = (id: string): string[] => opportunities.get(id)?.execution_blockers ?? (ctx.result.blocker ? [ctx.result.blocker] : [])
  const fieldsOf = spreadFieldsOf(ctx)
  return (spread, i) => ({
    ...fieldsOf(spread, i),
    fee_buy: spread.buy.request.fee,
    fee_sell: spread.sell.request.fee,
    amount_out_buy_numeraire: toFixedPlaces(spread.buy.amountIn, spread.pair.quote.decimals, 6),
    amount_out_sell_numeraire: toFixedPlaces(spread.sell.amountOut, spread.pair.quote.decimals, 6),
    execution_blockers: [...blockers(spread.id), ...(spread.code ? [`REJECTED:${spread.code}`] : [])],
    is_execution_ready: opportunities.get(spread.id)?.is_execution_ready ?? false,
    block_number: ctx.input.block,
  })
}

function configuredDexes(config: Config): string[] {
  return [...new Set(config.venues.map((venue) => venue.dex))].sort()
}

export function countByCode(ctx: CompatContext): Partial<Record<RejectCode, number>> {
  return ctx.result.tally.byCode()
}

export function healthCompat(ctx: CompatContext, opportunities: OpportunityCore[]) {
  const { input, result, config } = ctx
  const byCode = countByCode(ctx)
  const top = (Object.entries(byCode) as [RejectCode, number][]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5)
  const blockers: Record<string, number> = {}
  for (const o of opportunities) for (const blocker of o.execution_blockers) blockers[blocker] = (blockers[blocker] ?? 0) + 1
  const configured = configuredDexes(config)
  return {
    rpc_avg_latency_ms: Math.round(input.rpc.avg_latency_ms),
    rpc_total_requests: input.rpc.total_requests,
    rpc_failed_requests: input.rpc.failed_requests,
    quote_fetch_rate: result.stats.quote_fetch_rate,
    quote_gate_pass_rate: result.stats.quote_gate_pass_rate,
    chains_active: input.block > 0 ? 1 : 0,
    pairs_covered: result.stats.pairs_covered,
    pools_scanned: result.stats.pools_scanned,
    top_reject_reasons: top,
    dex_coverage: {
      configured_dexes: configured.length,
      configured_dex_ids: configured,
      dexes_active: result.dexes.active.length,
      dexes_active_ids: result.dexes.active,
      dexes_passed_gates: result.dexes.passedGates.length,
      dexes_passed_gates_ids: result.dexes.passedGates,
    },
    blocker_histogram: blockers,
  } satisfies Partial<TruthReport['health']>
}

/** Top-level blocks: revalidation (none yet: no re-check is claimed), the cycle's signal PnL, paper totals. */
/**
 * A spread's cost in micro-USD at the cycle's rate, kept by spread object with the rate it was
 * taken at: the truth report sums it over every opportunity every block, and a kept spread's is
 * the same while its quote token's way to USD is (most blocks).
 */
const notionals = new WeakMap<Spread, { route: UsdRoute; micro: bigint }>()
function notionalOf(spread: Spread, valuation: Valuation | null): bigint {
  const route = valuation?.usdRoute(spread.pair.quote)
  if (!route) return 0n
  const known = notionals.get(spread)
  if (known && sameRoute(known.route, route)) return known.micro
  const micro = usdMicroAt(spread.buy.amountIn, route)
  notionals.set(spread, { route, micro })
  return micro
}

function sameRoute(a: UsdRoute, b: UsdRoute): boolean {
  return a === b || (a.decimals === b.decimals && a.rate.num === b.rate.num && a.rate.den === b.rate.den)
}

export function truthCompat(ctx: CompatContext) {
  const { result } = ctx
  const paper = ctx.execution?.paper ?? null
  // The opportunities' signal PnL over their notional, both in micro-USD (every opportunity with a USD value).
  let signalMicro = 0n
  let notionalMicro = 0n
  for (const { spread } of result.opportunitySpreads) {
    if (spread.netUsdMicro === null) continue
    signalMicro += spread.netUsdMicro
    notionalMicro += notionalOf(spread, result.valuation)
  }
  const zero6 = toFixedPlaces(0n, 6, 6)
  return {
    mode: 'REGISTRY' as const,
    // Re-checks made: the simulations of opportunities at the same block (none without simulation).
    revalidation: {
      total: result.stats.simulated,
      passed: result.stats.sim_passed,
      gates_changed: result.stats.simulated - result.stats.sim_passed,
      gates_changed_pct: result.stats.simulated === 0 ? '0.0' : (Math.trunc(((result.stats.simulated - result.stats.sim_passed) * 1000) / result.stats.simulated) / 10).toFixed(1),
    },
    // The paper session's running totals (zero unless execution.mode is paper), as the original's PaperSession.
    cumulative_pnl: { total_bps: paper?.total_pnl_bps ?? '0.00', total_usdc: paper?.total_pnl_usdc ?? zero6 },
    pnl: {
      signal_pnl_bps: bpsString(signalMicro, notionalMicro),
      signal_pnl_usdc: toFixedPlaces(signalMicro, 6, 6),
      would_execute_pnl_bps: paper?.total_pnl_bps ?? '0.00',
      would_execute_pnl_usdc: paper?.total_pnl_usdc ?? zero6,
    },
    pnl_normalized: {
      notion_capital_numeraire: paper?.notional_capital_usdc ?? toFixedPlaces(usdMicroOf(ctx.config.execution.paper.notional_capital_usdc), 6, 6),
      normalized_return_pct: paper?.normalized_return_pct ?? '0.0000',
      numeraire: 'USDC' as const,
    },
  }
}

export function snapshotCompat(ctx: CompatContext, breakdown: ScanSnapshot['gate_breakdown']) {
  const { input, result, config } = ctx
  const rejected = result.quotes.filter((q) => q.status === 'rejected')
  const passed = result.quotes.filter((q) => q.status === 'ok')
  return {
    rpc_stats: {
      total_requests: input.rpc.total_requests,
      total_success: input.rpc.successful_requests,
      total_failure: input.rpc.failed_requests,
      success_rate: input.rpc.success_rate ?? 0,
    },
    reject_histogram: countByCode(ctx),
    gate_breakdown: breakdown,
    dex_coverage: { configured: configuredDexes(config), with_quotes: result.dexes.active, passed_gates: result.dexes.passedGates },
    sample_rejects: rejected.slice(0, 10).map((q) => ({ quote_id: q.id, dex_id: dexOf(config, q), pool: q.pool, pair: q.pair, fee: feeOf(input, q), reject_reason: q.reject_code!, error_message: q.reason ?? '' })),
    sample_passed: passed.slice(0, 10).map((q) => samplePassed(ctx, q)),
  }
}

function dexOf(config: Config, quote: Quote): string {
  return config.venues.find((venue) => venue.key === quote.venue)?.dex ?? quote.venue
}

function feeOf(input: CycleInput, quote: Quote): number {
  return input.quotes.find((q) => q.request.id === quote.id)?.request.fee ?? 0
}

function samplePassed(ctx: CompatContext, quote: Quote) {
  const pair = ctx.config.pairs.find((p) => p.name === quote.pair)!
  const sell = quote.side === 'sell'
  const [inDecimals, outDecimals] = sell ? [pair.base.decimals, pair.quote.decimals] : [pair.quote.decimals, pair.base.decimals]
  const amountIn = BigInt(quote.amount_in!)
  const amountOut = BigInt(quote.amount_out!)
  return {
    quote_id: quote.id,
    dex_id: dexOf(ctx.config, quote),
    pool: quote.pool,
    pair: quote.pair,
    fee: feeOf(ctx.input, quote),
    amount_in: toFixedPlaces(amountIn, inDecimals, 6),
    amount_out: toFixedPlaces(amountOut, outDecimals, 6),
    price: sell ? formatPrice(amountOut, amountIn, pair.base.decimals, pair.quote.decimals) : formatPrice(amountIn, amountOut, pair.base.decimals, pair.quote.decimals),
    latency_ms: null,
  }
}

export function histogramCompat(ctx: CompatContext): Pick<RejectHistogram, 'chain_id' | 'quotes_total' | 'quotes_fetched' | 'gates_passed' | 'histogram'> {
  return {
    chain_id: ctx.input.chainId,
    quotes_total: ctx.result.stats.quotes_total,
    quotes_fetched: ctx.result.stats.quotes_fetched,
    gates_passed: ctx.result.stats.gates_passed,
    histogram: countByCode(ctx),
  }
}
