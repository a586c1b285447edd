import * as v from 'valibot'
import { Address, BlockNumber, Count, countsOf, EXECUTION_BLOCKERS, Ratio } from './primitives.ts'
import { GATE_BUCKETS, REJECT_CODES, RejectCodeSchema } from './rejectCodes.ts'

/**
 * The original arbybot's TruthReport 3.0.0 fields (its last 3.0.0 commit), carried next to
 * ARBY's own so that tooling written for the original finds every field it reads, with the
 * original's types and formats, computed from ARBY's exact values. See README "Coming from
 * arbybot" for each field's meaning where the original's differs.
 */

const decimalString = (places: number) => v.pipe(v.string(), v.regex(new RegExp(`^-?(0|[1-9]\\d*)\\.\\d{${places}}$`), `must be a decimal string with ${places} places`))
/** Human-unit amounts, 6 decimal places ("2995.505991"). */
export const Decimal6 = decimalString(6)
/** Basis points, 2 decimal places ("50.00"). */
export const Decimal2 = decimalString(2)
export const Decimal4 = decimalString(4)
export const Decimal1 = decimalString(1)
/** A 0–1 score. */
export const Unit = v.pipe(v.number(), v.minValue(0), v.maxValue(1))

export const ConfidenceFactors = v.strictObject({
  rpc_health: Unit,
  quote_coverage: Unit,
  price_stability: Unit,
  spread_quality: Unit,
  dex_diversity: Unit,
})

/** The original's spread/opportunity fields (3.0.0, with 3.2.0's confidence factors). */
export const SpreadFields = {
  spread_id: v.pipe(v.string(), v.regex(/^spread_\d+_\d{8}_\d{6}_\d+$/)),
  opportunity_id: v.pipe(v.string(), v.regex(/^opp_spread_\d+_\d{8}_\d{6}_\d+$/)),
  dex_buy: v.string(),
  dex_sell: v.string(),
  pool_buy: Address,
  pool_sell: Address,
  token_in: v.string(),
  token_out: v.string(),
  chain_id: Count,
  amount_in_numeraire: Decimal6,
  amount_out_numeraire: Decimal6,
  /** Net profit after gas in USD, 6 dp; null when no USD numeraire reaches the quote token. */
  net_pnl_usdc: v.nullable(Decimal6),
  /** Net profit over the buy leg's cost, bps, 2 dp; null without a gas price (no net to state). */
  net_pnl_bps: v.nullable(Decimal2),
  /** The original's 0–1 score (its 3.2.0 weights over ARBY's measured factors). */
  confidence: Unit,
  confidence_factors: ConfidenceFactors,
  is_profitable: v.boolean(),
  reject_reason: v.nullable(RejectCodeSchema),
}

export const DexCoverage = v.strictObject({
  configured_dexes: Count,
  configured_dex_ids: v.array(v.string()),
  dexes_active: Count,
  dexes_active_ids: v.array(v.string()),
  dexes_passed_gates: Count,
  dexes_passed_gates_ids: v.array(v.string()),
})

/** `health` fields of the original (87a67a8). */
export const HealthCompat = {
  rpc_avg_latency_ms: Count,
  rpc_total_requests: Count,
  rpc_failed_requests: Count,
  quote_fetch_rate: Ratio,
  quote_gate_pass_rate: Ratio,
  chains_active: Count,
  pairs_covered: Count,
  pools_scanned: Count,
  top_reject_reasons: v.pipe(v.array(v.tuple([RejectCodeSchema, Count])), v.maxLength(5)),
  dex_coverage: DexCoverage,
  blocker_histogram: countsOf(EXECUTION_BLOCKERS),
}

/** `stats` counters of the original (3.0.0 + 87a67a8), next to ARBY's. */
export const StatsCompat = {
  spread_ids_total: Count,
  spread_ids_profitable: Count,
  spread_ids_executable: Count,
  paper_executable_spreads: Count,
  signals_total: Count,
  signals_profitable: Count,
  signals_executable: Count,
  paper_executable_count: Count,
  blocked_spreads: Count,
  dexes_active: Count,
  pairs_covered: Count,
  pools_scanned: Count,
  quote_fetch_rate: Ratio,
  quote_gate_pass_rate: Ratio,
}

/** Top-level truth report blocks of the original. */
export const TruthCompat = {
  mode: v.literal('REGISTRY'),
  revalidation: v.strictObject({ total: Count, passed: Count, gates_changed: Count, gates_changed_pct: Decimal1 }),
  cumulative_pnl: v.strictObject({ total_bps: Decimal2, total_usdc: Decimal6 }),
  pnl: v.strictObject({ signal_pnl_bps: Decimal2, signal_pnl_usdc: Decimal6, would_execute_pnl_bps: Decimal2, would_execute_pnl_usdc: Decimal6 }),
  pnl_normalized: v.strictObject({ notion_capital_numeraire: Decimal6, normalized_return_pct: v.nullable(Decimal4), numeraire: v.literal('USDC') }),
}

export const RpcStats = v.strictObject({ total_requests: Count, total_success: Count, total_failure: Count, success_rate: Ratio })

/** One candidate (every buy venue × sell venue × size with both legs quoted), as the original's `all_spreads`. */
export const SpreadRecord = v.strictObject({
  ...SpreadFields,
  fee_buy: Count,
  fee_sell: Count,
  /** What buying `size` costs and what selling it returns, quote-token human units, 6 dp. */
  amount_out_buy_numeraire: Decimal6,
  amount_out_sell_numeraire: Decimal6,
  execution_blockers: v.array(v.string()),
  is_execution_ready: v.boolean(),
  block_number: BlockNumber,
})

export const SampleReject = v.strictObject({
  quote_id: v.string(),
  dex_id: v.string(),
  pool: Address,
  pair: v.string(),
  fee: Count,
  reject_reason: RejectCodeSchema,
  error_message: v.string(),
})

export const SamplePassed = v.strictObject({
  quote_id: v.string(),
  dex_id: v.string(),
  pool: Address,
  pair: v.string(),
  fee: Count,
  amount_in: Decimal6,
  amount_out: Decimal6,
  price: v.string(),
  /** Quotes are fetched in batches (or computed locally): no per-quote latency exists. */
  latency_ms: v.null(),
})

/** Snapshot keys of the original (87a67a8). */
export const SnapshotCompat = {
  rpc_stats: RpcStats,
  reject_histogram: countsOf(REJECT_CODES),
  gate_breakdown: v.strictObject(Object.fromEntries(GATE_BUCKETS.map((bucket) => [bucket, Count])) as Record<(typeof GATE_BUCKETS)[number], typeof Count>),
  dex_coverage: v.strictObject({ configured: v.array(v.string()), with_quotes: v.array(v.string()), passed_gates: v.array(v.string()) }),
  all_spreads: v.array(SpreadRecord),
  sample_rejects: v.pipe(v.array(SampleReject), v.maxLength(10)),
  sample_passed: v.pipe(v.array(SamplePassed), v.maxLength(10)),
}

/** Histogram keys of the original. */
export const HistogramCompat = {
  chain_id: Count,
  quotes_total: Count,
  quotes_fetched: Count,
  gates_passed: Count,
  histogram: countsOf(REJECT_CODES),
}
