import * as v from 'valibot'
import { HealthCompat, TruthCompat } from './compat.ts'
import { ExecutionCycle } from './execution.ts'
import { GateBreakdown, OptimalSize, Opportunity, Stats } from './parts.ts'
import {
  Address, BlockNumber, Count, ExecutionBlocker, QuoteSource, Ratio, RunMode, SCHEMA_VERSION, Timestamp, Uint, uniqueBy,
} from './primitives.ts'

const FAULT_KINDS = ['rate_limit', 'server', 'timeout', 'network', 'malformed', 'rpc', 'stale_block', 'permanent'] as const

/** One endpoint's cycle (URL redacted to scheme://host[:port]). */
export const EndpointHealth = v.strictObject({
  endpoint: v.string(),
  status: v.picklist(['active', 'lagging', 'down', 'wrong_chain']),
  head: v.nullable(BlockNumber),
  requests: Count,
  successful: Count,
  failed: Count,
  errors: v.strictObject(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, v.optional(Count)])) as Record<(typeof FAULT_KINDS)[number], v.OptionalSchema<typeof Count, undefined>>),
  retries: Count,
  rate_limit_waits: Count,
  rate_limit_wait_ms: Ratio,
  latency_p50_ms: Ratio,
  latency_p95_ms: Ratio,
})
export type EndpointHealth = v.InferOutput<typeof EndpointHealth>

export const RpcHealth = v.strictObject({
  total_requests: Count,
  successful_requests: Count,
  failed_requests: Count,
  timeout_requests: Count,
  avg_latency_ms: Ratio,
  max_latency_ms: Ratio,
  success_rate: v.nullable(Ratio),
  endpoints_healthy: Count,
  endpoints_total: Count,
  endpoints: v.array(EndpointHealth),
})
export type RpcHealth = v.InferOutput<typeof RpcHealth>

export const SpreadSignal = v.strictObject({
  pair: v.string(),
  size: Uint,
  buy_dex: v.string(),
  sell_dex: v.string(),
  buy_price: v.string(),
  sell_price: v.string(),
  spread_bps: Ratio,
  is_profitable: v.boolean(),
  is_profitable_net: v.boolean(),
  estimated_profit_usd: v.nullable(Ratio),
  confidence: v.picklist(['high', 'medium', 'low']),
  buy_pool_address: Address,
  sell_pool_address: Address,
  buy_fee: Count,
  sell_fee: Count,
})
export type SpreadSignal = v.InferOutput<typeof SpreadSignal>

/** `reports/truth_report_<ts>.json`: the cycle's verdict, TruthReport 3.0.0. */
export const TruthReport = v.pipe(v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION),
  artifact: v.literal('truth_report'),
  timestamp: Timestamp,
  run_mode: RunMode,
  cycle: Count,
  /** True only in live mode (dry-run signs but never sends). */
  execution_enabled: v.boolean(),
  /** Why nothing is executed this cycle; null in live mode while every gate passes and the kill switch runs. */
  execution_blocker: v.nullable(ExecutionBlocker),
  cost_model_available: v.boolean(),
  chain_id: Count,
  current_block: BlockNumber,
  quote_source: QuoteSource,
  /** The cycle's quoting mode; each quote records who computed it. */
  quoter: v.picklist(['onchain', 'local']),
  synthetic: v.boolean(),
  health: v.strictObject({
    quotes_total: Count,
    quotes_fetched: Count,
    gates_passed: Count,
    dexes_active: Count,
    price_sanity_passed: Count,
    price_sanity_failed: Count,
    price_stability_factor: Ratio,
    rpc_errors: Count,
    rpc_success_rate: v.nullable(Ratio),
    gate_breakdown: GateBreakdown,
    rpc: RpcHealth,
    ...HealthCompat,
  }),
  stats: Stats,
  top_opportunities: v.pipe(v.array(Opportunity), uniqueBy((o) => o.id, 'opportunity ids')),
  optimal_sizes: v.array(OptimalSize),
  spread_signals: v.array(SpreadSignal),
  /** What paper, dry-run or live execution did with the cycle; null with execution off or simulate. */
  execution: v.nullable(ExecutionCycle),
  ...TruthCompat,
}), v.check((t) => t.execution_enabled || t.stats.execution_ready_count === 0, 'stats.execution_ready_count is 0 unless execution is enabled (live mode)'))
export type TruthReport = v.InferOutput<typeof TruthReport>
