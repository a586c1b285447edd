import * as v from 'valibot'
import { Address, BlockNumber, HexBytes as Hex, Count, Int, SCHEMA_VERSION, Timestamp, Uint } from './primitives.ts'
import { RejectCodeSchema } from './rejectCodes.ts'

/**
 * Phase 4 artifacts: a trade as the ledger keeps it (every figure predicted at the pinned
 * block next to what the receipt proved), the per-run `execution_report`, and the execution
 * block of each cycle's truth report. Money is decimal strings of base units.
 */
const Hash = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 32-byte hash'))
export const TRADE_STATES = ['DETECTED', 'SIMULATED', 'SIGNED', 'SUBMITTED', 'INCLUDED', 'REVERTED', 'SETTLED', 'REJECTED', 'ABANDONED', 'DROPPED', 'CONFLICT'] as const
export type TradeState = (typeof TRADE_STATES)[number]
export const TRADE_EVENTS = ['pass', 'reject', 'sign', 'send', 'rebroadcast', 'refused', 'dry_run', 'mined', 'reverted', 'dropped', 'conflict', 'settle'] as const
export type TradeEvent = (typeof TRADE_EVENTS)[number]
const TradeState = v.picklist(TRADE_STATES)
export const EXEC_MODES = ['dry-run', 'live'] as const
const Rate = v.strictObject({ num: Uint, den: v.pipe(Uint, v.check((d) => d !== '0', 'must not be 0')) })

export const KillState = v.strictObject({
  /** running, or halted until `exec resume` (persisted). */
  state: v.picklist(['running', 'halted']),
  reason: v.nullable(v.string()),
  /** The head when the halt was observed: nothing is signed at or after it. */
  since_block: v.nullable(BlockNumber),
  since: v.nullable(Timestamp),
  /** A pause holds only while its condition does (base fee, head age); null when none. */
  paused: v.nullable(v.string()),
  /** Routes not traded until the time given (a simulation mismatch on them). */
  quarantined: v.array(v.strictObject({ route: v.string(), until: Timestamp, reason: v.string() })),
})
export type KillState = v.InferOutput<typeof KillState>

export const TradeRecord = v.strictObject({
  id: v.string(),
  run_id: v.string(),
  mode: v.picklist(EXEC_MODES),
  state: TradeState,
  created_at: Timestamp,
  updated_at: Timestamp,
  /** `pair|buy>sell`: the unit of cooldowns and quarantines. */
  route: v.string(),
  pair: v.string(),
  buy_venue: v.string(),
  sell_venue: v.string(),
  /** Which cycle figure it trades (a grid opportunity or an optimal size), or an operator's sweep of the executor's balance. */
  kind: v.picklist(['opportunity', 'optimal', 'sweep']),
  opportunity_id: v.string(),
  size: Uint,
  quote_token: v.strictObject({ symbol: v.string(), address: Address, decimals: Count }),
  /** The cycle's pinned block; the block the signed bytes were last simulated at; the head when signed. */
  pin_block: BlockNumber,
  sim_block: v.nullable(BlockNumber),
  signed_block: v.nullable(BlockNumber),
  predicted: v.strictObject({
    /** Quote-token units the executor gains: exact local math = simulation, to the wei. */
    profit: Int,
    gas_used: Uint,
    l1_gas: Uint,
    base_fee_wei: Uint,
    cost_wei: Uint,
    /** cost_wei in quote-token units (rounded up), and profit − that. */
    cost: Uint,
    net: Int,
    net_usd: v.nullable(v.number()),
  }),
  /** The pinned block's conversions (anchor quotes): gas wei → quote units (rounded up), quote units → micro-USD. */
  rates: v.strictObject({ wei_to_quote: Rate, quote_to_usd_micro: v.nullable(Rate) }),
  calldata: Hex,
  signer: Address,
  executor: Address,
  tx: v.nullable(v.strictObject({ nonce: Count, hash: Hash, raw: Hex, gas_limit: Uint, max_fee_per_gas: Uint })),
  submit_path: v.nullable(v.string()),
  sends: Count,
  receipt: v.nullable(v.strictObject({
    block: BlockNumber,
    status: v.picklist(['success', 'reverted']),
    gas_used: Uint,
    effective_gas_price: Uint,
    /** Arbitrum receipts say how much of gas_used paid for L1 data; null where the node does not (anvil). */
    l1_gas_used: v.nullable(Uint),
  })),
  realized: v.nullable(v.strictObject({
    /** The Arb event's profit (0 for a revert) and the executor's quote-token balance change over the block. */
    profit: Int,
    quote_out: v.nullable(Uint),
    quote_in: v.nullable(Uint),
    balance_delta: Int,
    cost_wei: Uint,
    cost: Uint,
    net: Int,
    net_usd: v.nullable(v.number()),
    profit_diff: Int,
    gas_diff: Int,
  })),
  code: v.nullable(RejectCodeSchema),
  detail: v.nullable(v.string()),
  transitions: v.array(v.strictObject({
    from: v.nullable(TradeState),
    to: TradeState,
    event: v.nullable(v.picklist(TRADE_EVENTS)),
    at: Timestamp,
    block: v.nullable(BlockNumber),
    detail: v.nullable(v.string()),
  })),
})
export type TradeRecord = v.InferOutput<typeof TradeRecord>

const Totals = v.strictObject({
  trades: Count,
  by_state: v.record(v.string(), Count),
  by_code: v.record(v.string(), Count),
  sent: Count,
  settled: Count,
  reverted: Count,
  /** Settled, mined successfully, and realized profit = predicted to the wei / gas used = simulated. */
  profit_exact: Count,
  gas_exact: Count,
  /** Realized profit per quote token (base units), gas paid in wei, net in USD (display). */
  realized_profit: v.record(v.string(), Int),
  cost_wei: Uint,
  realized_net_usd: v.number(),
})

/** `execution_report_<ts>.json`: one per run in dry-run and live modes. */
export const ExecutionReport = v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION),
  artifact: v.literal('execution_report'),
  run_id: v.string(),
  started_at: Timestamp,
  ended_at: Timestamp,
  mode: v.picklist(EXEC_MODES),
  chain_id: Count,
  signer: Address,
  executor: Address,
  submit_path: v.string(),
  store: v.string(),
  /** Trades of earlier runs resolved at this start (reconciled against the chain before anything was signed). */
  reconciled: v.array(v.string()),
  kill: KillState,
  totals: Totals,
  trades: v.pipe(v.array(TradeRecord), v.check((trades) => new Set(trades.map((t) => t.id)).size === trades.length, 'trade ids must be unique')),
})
export type ExecutionReport = v.InferOutput<typeof ExecutionReport>

/** One line of `exec.log` (NDJSON): a trade transition or a kill-switch / run event. */
export const ExecLogLine = v.strictObject({
  ts: Timestamp,
  run_id: v.string(),
  level: v.picklist(['info', 'warn', 'error']),
  event: v.string(),
  msg: v.string(),
  trade: v.optional(v.string()),
  from: v.optional(v.nullable(TradeState)),
  to: v.optional(TradeState),
  block: v.optional(v.nullable(BlockNumber)),
  tx_hash: v.optional(v.nullable(Hash)),
  data: v.optional(v.record(v.string(), v.unknown())),
})
export type ExecLogLine = v.InferOutput<typeof ExecLogLine>

/** A paper trade (the original's PaperTrade fields, plus the simulated figures behind it). */
export const PaperTrade = v.strictObject({
  spread_id: v.string(),
  opportunity_id: v.string(),
  outcome: v.picklist(['WOULD_EXECUTE', 'REJECTED', 'BLOCKED']),
  numeraire: v.literal('USDC'),
  amount_in_numeraire: v.string(),
  expected_pnl_numeraire: v.string(),
  expected_pnl_bps: v.string(),
  gas_price_gwei: v.string(),
  gas_estimate: Count,
  timestamp: Timestamp,
  chain_id: Count,
  dex_buy: v.string(),
  dex_sell: v.string(),
  dex_a: v.string(),
  dex_b: v.string(),
  pool_a: Address,
  pool_b: Address,
  token_in: v.string(),
  token_out: v.string(),
  reject_reason: v.nullable(v.string()),
  metadata: v.strictObject({
    block: BlockNumber,
    route: v.string(),
    kind: v.picklist(['opportunity', 'optimal']),
    size: Uint,
    simulated_profit: Int,
    net_after_sim: Int,
    quote_token: v.string(),
  }),
})
export type PaperTrade = v.InferOutput<typeof PaperTrade>

/** Each cycle's truth report says what execution did with it (null with execution off or simulate). */
export const ExecutionCycle = v.strictObject({
  mode: v.picklist(['paper', 'dry-run', 'live']),
  /** The trade this cycle made (or tried), by id and final state in the cycle; null when none was eligible. */
  trade: v.nullable(v.strictObject({ id: v.string(), state: TradeState, route: v.string(), tx_hash: v.nullable(Hash), code: v.nullable(RejectCodeSchema), realized_profit: v.nullable(Int), predicted_profit: Int })),
  kill: v.nullable(KillState),
  /** The paper session so far (the original's PaperSession stats): this cycle's trades and the running totals. */
  paper: v.nullable(v.strictObject({
    recorded: Count,
    skipped_cooldown: Count,
    total_trades: Count,
    would_execute_count: Count,
    total_pnl_usdc: v.string(),
    total_pnl_bps: v.string(),
    notional_capital_usdc: v.string(),
    normalized_return_pct: v.string(),
  })),
})
export type ExecutionCycle = v.InferOutput<typeof ExecutionCycle>
