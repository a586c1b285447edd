import * as v from 'valibot'
import { GATE_BUCKETS, RejectCodeSchema } from './rejectCodes.ts'
import { SpreadFields, StatsCompat } from './compat.ts'
import { Simulation } from './simulation.ts'
import { Address, BlockNumber, Count, ExecutionBlocker, Int, Ratio, Uint } from './primitives.ts'

export const DexType = v.picklist(['uniswap_v3', 'uniswap_v2', 'algebra'])

export const RegistryPool = v.strictObject({
  venue: v.string(),
  dex: v.string(),
  dex_type: DexType,
  pair: v.string(),
  address: Address,
  token0: Address,
  token1: Address,
  fee: Count,
  liquidity: Uint,
  base_balance: Uint,
  quote_balance: Uint,
})
export type RegistryPool = v.InferOutput<typeof RegistryPool>

export const DroppedPool = v.strictObject({
  dex: v.string(),
  pair: v.string(),
  fee: v.nullable(Count),
  address: v.nullable(Address),
  code: RejectCodeSchema,
  reason: v.string(),
})
export type DroppedPool = v.InferOutput<typeof DroppedPool>

export const Quote = v.strictObject({
  id: v.string(),
  pair: v.string(),
  venue: v.string(),
  pool: Address,
  side: v.picklist(['sell', 'buy']),
  kind: v.picklist(['exact_input', 'exact_output']),
  size: Uint,
  amount_in: v.nullable(Uint),
  amount_out: v.nullable(Uint),
  gas_estimate: v.nullable(Uint),
  ticks_crossed: v.nullable(Count),
  block: BlockNumber,
  /** Who computed it: the venue's on-chain quoter, or ARBY's exact local math. */
  quoter: v.picklist(['onchain', 'local']),
  status: v.picklist(['ok', 'rejected']),
  reject_code: v.nullable(RejectCodeSchema),
  reason: v.nullable(v.string()),
})
export type Quote = v.InferOutput<typeof Quote>

const Leg = v.strictObject({
  venue: v.string(),
  dex: v.string(),
  pool: Address,
  fee: Count,
  quote_id: v.string(),
})

/** ARBY's own fields of an opportunity: exact base units, both legs, gas, net. */
export const OpportunityCore = v.strictObject({
  id: v.string(),
  pair: v.string(),
  base: v.string(),
  quote: v.string(),
  size: Uint,
  buy: v.strictObject({ ...Leg.entries, amount_in: Uint }),
  sell: v.strictObject({ ...Leg.entries, amount_out: Uint }),
  gross_profit: Int,
  gas_units: Uint,
  gas_cost_wei: Uint,
  gas_cost: Uint,
  gas_cost_usd: v.nullable(Ratio),
  net_profit: Int,
  net_profit_usd: v.nullable(Ratio),
  spread_bps: Ratio,
  /** Where gas_units/gas_cost/net_profit come from: the gas model, or the executor's simulation at the pin. */
  gas_source: v.picklist(['model', 'simulation']),
  simulation: v.nullable(Simulation),
  /** ARBY's label (the original's name `confidence` is its 0–1 score, below). */
  confidence_label: v.picklist(['high', 'medium', 'low']),
  /** Ready only in live mode, after the simulation passed, while the kill switch runs: then no blocker. */
  is_execution_ready: v.boolean(),
  execution_blockers: v.array(ExecutionBlocker),
})
export type OpportunityCore = v.InferOutput<typeof OpportunityCore>

/** An opportunity in the artifacts: ARBY's fields and the original's (a superset of TruthReport 3.0.0's). */
export const Opportunity = v.strictObject({ ...OpportunityCore.entries, ...SpreadFields })
export type Opportunity = v.InferOutput<typeof Opportunity>

/** Where a reject was decided, in the order a cycle runs. */
export const REJECT_STAGES = ['block', 'registry', 'quote', 'candidate', 'simulation', 'execution'] as const

export const Reject = v.strictObject({
  code: RejectCodeSchema,
  bucket: v.picklist(GATE_BUCKETS),
  stage: v.picklist(REJECT_STAGES),
  pair: v.nullable(v.string()),
  venue: v.nullable(v.string()),
  buy_venue: v.nullable(v.string()),
  sell_venue: v.nullable(v.string()),
  size: v.nullable(Uint),
  quote_id: v.nullable(v.string()),
  message: v.string(),
})
export type Reject = v.InferOutput<typeof Reject>

export const GateBreakdown = v.strictObject({ revert: Count, slippage: Count, infra: Count, other: Count })
export type GateBreakdown = v.InferOutput<typeof GateBreakdown>

export const Stats = v.strictObject({
  pools_registered: Count,
  pools_dropped: Count,
  quotes_total: Count,
  quotes_fetched: Count,
  quotes_rejected: Count,
  candidates_total: Count,
  candidates_rejected: Count,
  /** Quotes that passed every quote gate (the original's meaning). */
  gates_passed: Count,
  opportunities: Count,
  rejects_total: Count,
  execution_ready_count: Count,
  /** Opportunities simulated at the pin, those that passed the simulation gate, and mismatches (defects). */
  simulated: Count,
  sim_passed: Count,
  sim_mismatches: Count,
  ...StatsCompat,
})
export type Stats = v.InferOutput<typeof Stats>

/** The size that maximises profit on one route (exact local math), next to the grid. */
export const OptimalSize = v.strictObject({
  pair: v.string(),
  buy_venue: v.string(),
  sell_venue: v.string(),
  size: Uint,
  amount_in: Uint,
  amount_out: Uint,
  gross_profit: Int,
  gas_cost: v.nullable(Uint),
  net_profit: v.nullable(Int),
  net_profit_usd: v.nullable(Ratio),
  evaluations: Count,
  simulation: v.nullable(Simulation),
})
export type OptimalSize = v.InferOutput<typeof OptimalSize>
