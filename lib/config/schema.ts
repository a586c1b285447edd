import * as v from 'valibot'
import { Address, Bps, ContractAddress, DecimalAmount, ETH_CALL_GAS_CAP, int, MAX_GAS, MAX_TIMER_MS, num, RpcUrl, WsUrl } from './fields.ts'

export { DecimalAmount } from './fields.ts'

export const TokenConfig = v.strictObject({
  address: ContractAddress,
  decimals: int(0, 36),
  /** A USD stablecoin: its units count as dollars for display. */
  usd: v.optional(v.boolean(), false),
  /** `universe.pairs: tokens`: trade sizes when this token is a discovered pair's base, e.g. ["0.1", "1"]. */
  sizes: v.optional(v.pipe(v.array(DecimalAmount), v.minLength(1, 'needs at least one size'), v.maxLength(32, 'at most 32 sizes'))),
  /** `universe.pairs: tokens`: minimum net profit in this token's units when it is a discovered pair's quote. */
  min_net_profit: v.optional(DecimalAmount),
  /**
   * Liquidity floor of a discovered pair quoted in this token: a pool counts only when it holds at
   * least this much of it (a pair needs two such pools). Required of a quote token by `universe.pairs: all`.
   */
  min_liquidity: v.optional(DecimalAmount),
})

/** Uniswap V3 fee tiers and their tick spacings (Arbitrum's factories have all four). */
export const V3_FEE_TIERS = [100, 500, 3000, 10_000] as const

const V3Dex = v.strictObject({
  type: v.literal('uniswap_v3'),
  factory: ContractAddress,
  quoter: ContractAddress,
  fee_tiers: v.pipe(v.array(v.picklist(V3_FEE_TIERS, 'must be one of 100, 500, 3000, 10000')), v.minLength(1, 'needs at least one fee tier')),
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
const V2Dex = v.strictObject({
  type: v.literal('uniswap_v2'),
  factory: ContractAddress,
  router: ContractAddress,
  /** Swap fee in hundredths of a bip, as the pair's code charges it (Uniswap V2: 3000 = 0.3%). At most 10%. */
  fee: v.optional(int(0, 100_000, 'a whole number of hundredths of a bip'), 3000),
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
const AlgebraDex = v.strictObject({
  type: v.literal('algebra'),
  factory: ContractAddress,
  quoter: ContractAddress,
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
export const DexConfig = v.variant('type', [V3Dex, V2Dex, AlgebraDex], 'type must be uniswap_v3, uniswap_v2 or algebra')

export const PairConfig = v.strictObject({
  base: v.string(),
  quote: v.string(),
  /** Trade sizes in base-token units, e.g. ["0.1", "1"]. */
  sizes: v.pipe(v.array(DecimalAmount), v.minLength(1, 'needs at least one size'), v.maxLength(32, 'at most 32 sizes')),
  /** The venue whose price anchors the sanity gate, as `dex` or `dex:fee`. */
  anchor: v.string(),
  /** Minimum net profit in quote-token units, on top of min_net_profit_bps. */
  min_net_profit: v.optional(DecimalAmount, '0'),
})

export const RpcConfig = v.strictObject({
  endpoints: v.pipe(v.array(RpcUrl), v.maxLength(32, 'at most 32 endpoints')),
  /** `{key}` is replaced by ALCHEMY_API_KEY when that variable is set. */
  alchemy_url_template: v.optional(RpcUrl),
  /**
   * A WebSocket endpoint announcing new heads (eth_subscribe newHeads): a watch cycle starts the
   * moment a block is announced instead of at the next poll; reads still go through `endpoints`,
   * and polling stays the safety net.
   */
  heads_ws: v.optional(WsUrl),
  timeout_ms: v.optional(int(1, MAX_TIMER_MS), 10_000),
  retries: v.optional(int(0, 20), 3),
  backoff_base_ms: v.optional(int(1, 60_000), 500),
  /** Requests per second per endpoint (token bucket refill; Alchemy free ≈ 12 eth_call/s). */
  rate_limit_rps: v.optional(num(0.1, 100_000), 20),
  /** Token bucket capacity: requests one endpoint may take at once (a cycle's parallel round). */
  burst: v.optional(int(1, 1_000), 10),
  /** Rate-limit loopback endpoints (127.0.0.1, ::1, localhost) too; off by default: a local node has no quota. */
  throttle_loopback: v.optional(v.boolean(), false),
  /** No more retries once a cycle has spent this long. */
  cycle_retry_budget_ms: v.optional(int(1, MAX_TIMER_MS), 20_000),
  /** Pin this many blocks behind the highest head, so more endpoints can serve the pin. */
  pin_lag_blocks: v.optional(int(0, 1_000), 0),
  /** Multicall3 calls per eth_call chunk, each with an explicit gas budget. */
  batch_size: v.optional(int(1, 500), 40),
  gas_per_call: v.optional(int(100_000, ETH_CALL_GAS_CAP - 1_000_000), 1_000_000),
})

const GasUnits = int(1, MAX_GAS, 'a whole number of gas units')

/**
 * What ARBY does with an opportunity once every gate passed: nothing (off); prove it by
 * simulation; record it as a paper trade at its simulated fill; sign it without sending
 * (dry-run); or trade it (live).
 */
export const EXECUTION_MODES = ['off', 'simulate', 'paper', 'dry-run', 'live'] as const
export type ExecutionMode = (typeof EXECUTION_MODES)[number]

const Wei = v.pipe(v.string('must be a quoted whole number of wei'), v.regex(/^(0|[1-9]\d{0,30})$/, 'must be a whole number of wei (at most 31 digits)'))

/** The kill switch: checked before every signature and after every receipt. */
const KillConfig = v.strictObject({
  /** Realized net loss over the last 24 h (USD, from each trade's pinned-block valuation) that halts. */
  max_daily_loss_usd: v.optional(DecimalAmount, '50'),
  /** On-chain reverts in a row that halt. */
  max_consecutive_reverts: v.optional(int(1, 1_000), 3),
  /** Reverts among the last `revert_window` sent trades, in percent, above which it halts... */
  max_revert_rate_pct: v.optional(int(0, 100), 20),
  revert_window: v.optional(int(1, 1_000), 20),
  /** ...once at least this many were sent (a single early revert is not a rate). */
  revert_rate_min_sample: v.optional(int(1, 1_000), 10),
  /** A route whose simulation disagreed with the prediction is quarantined this long... */
  quarantine_minutes: v.optional(int(1, 100_000), 60),
  /** ...and this many routes quarantined at once halt. */
  max_quarantined_routes: v.optional(int(1, 1_000), 3),
  /** The signer's ETH balance below which it halts (it pays the gas). */
  min_signer_balance_wei: v.optional(Wei, '5000000000000000'),
  /** Base fee above which signing pauses (resumes by itself): 10x Arbitrum's floor by default. */
  max_base_fee_wei: v.optional(Wei, '200000000'),
  /** A pinned block older than this (wall clock) pauses signing; 0 disables (an automining devnet makes no idle blocks). */
  max_head_age_s: v.optional(int(0, 86_400), 60),
})

export const ExecutionConfig = v.strictObject({
  mode: v.optional(v.picklist(EXECUTION_MODES, `must be one of ${EXECUTION_MODES.join(', ')}`), 'off'),
  /** A deployed ArbExecutor; without it the simulation places the executor's code by state override (dry-run and live need one). */
  executor: v.optional(ContractAddress),
  /** The simulating sender (the executor's owner); default: the deployed executor's owner, else a fixed address. */
  from: v.optional(Address),
  /** Where the L1 data cost comes from: Arbitrum's NodeInterface (0x…C8), or none (L2 gas only). */
  l1_cost: v.optional(v.picklist(['nodeinterface', 'none'], 'must be nodeinterface or none'), 'nodeinterface'),
  /** rpc: eth_sendRawTransaction through the read endpoints; sequencer: straight to `sequencer_url` (Arbitrum has no public mempool). */
  submit: v.optional(v.picklist(['rpc', 'sequencer'], 'must be rpc or sequencer'), 'rpc'),
  sequencer_url: v.optional(RpcUrl, 'https://arb1-sequencer.arbitrum.io/rpc'),
  /** The trade ledger (bun:sqlite): trades, nonces, kill state. Relative paths are from the working directory. */
  store: v.optional(v.pipe(v.string(), v.minLength(1)), 'data/exec.sqlite'),
  /** Blocks the head may move past the pin before a trade is dropped (EXEC_STALE); within it, the trade is re-simulated at the head. */
  max_block_lag: v.optional(int(0, 1_000), 2),
  /** Gas limit = simulated (L2 + L1) gas x this percent. */
  gas_limit_pct: v.optional(int(100, 1_000), 125),
  /** maxFeePerGas = base fee x this percent; the priority fee is 0 (Arbitrum charges the base fee only). */
  max_fee_pct: v.optional(int(100, 10_000), 200),
  /** With no receipt, the same signed bytes are re-sent every `rebroadcast_ms`, at most `rebroadcasts` times, then the trade is dropped. */
  rebroadcast_ms: v.optional(int(10, MAX_TIMER_MS), 1_000),
  rebroadcasts: v.optional(int(0, 100), 3),
  /** Paper trading (the original's PaperSession): the same route is recorded at most once per cooldown. */
  paper: v.optional(v.strictObject({
    cooldown_seconds: v.optional(int(0, 86_400), 60),
    notional_capital_usdc: v.optional(DecimalAmount, '10000'),
  }), {}),
  kill: v.optional(KillConfig, {}),
})
export type ExecutionConfig = v.InferOutput<typeof ExecutionConfig>

/**
 * Alerts (optional): where to send them and when. Secrets never live here: the generic
 * webhook's URL comes from ARBY_WEBHOOK_URL, Discord's from ARBY_DISCORD_WEBHOOK_URL, the
 * Telegram bot token from ARBY_TELEGRAM_BOT_TOKEN (the chat id is not a secret).
 */
export const AlertsConfig = v.strictObject({
  targets: v.pipe(v.array(v.variant('kind', [
    v.strictObject({ kind: v.literal('webhook') }),
    v.strictObject({ kind: v.literal('discord') }),
    v.strictObject({ kind: v.literal('telegram'), chat_id: v.pipe(v.string(), v.regex(/^-?\d{1,20}$|^@\w{1,64}$/, 'must be a numeric chat id or @channel')), api: v.optional(RpcUrl, 'https://api.telegram.org') }),
  ], 'kind must be webhook, discord or telegram')), v.minLength(1, 'needs at least one target')),
  /** An opportunity whose net profit reaches this many USD alerts once per route episode. */
  min_net_usd: v.optional(DecimalAmount, '25'),
  /** This many void cycles in a row alert (once per streak). */
  void_streak: v.optional(int(1, 100_000), 5),
  /** At most this many alerts per minute; the rest are dropped (and counted). */
  max_per_minute: v.optional(int(1, 1_000), 10),
})

export const ConfigSchema = v.strictObject({
  chain: v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), chain_id: int(1, 4_294_967_295, 'a chain id') }),
  rpc: RpcConfig,
  contracts: v.strictObject({ multicall3: ContractAddress }),
  tokens: v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.]{1,16}$/, 'token symbols are 1-16 letters and digits')), TokenConfig),
  dexes: v.record(v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,32}$/, 'dex names are lower_snake_case')), DexConfig),
  pairs: v.optional(v.pipe(v.array(PairConfig), v.maxLength(1_000)), []),
  /**
   * The pairs scanned: `configured` (the `pairs` list), or `tokens` — besides `pairs`, every pair
   * of listed tokens whose pools at least two enabled venues have, found at the run's start.
   */
  universe: v.optional(v.strictObject({
    pairs: v.optional(v.picklist(['configured', 'tokens', 'all'], 'must be configured, tokens or all'), 'configured'),
    /** Which token of a discovered pair is its quote: the first listed here (default: USD stablecoins, then WETH, then the tokens' order). */
    quote_order: v.optional(v.array(v.string())),
    /** `all`: the universe cache (creation events read so far); default data/universe/chain-<id>.sqlite, `:memory:` keeps none. */
    cache: v.optional(v.pipe(v.string(), v.minLength(1, 'must be a path'))),
    /** `all`: the first block whose creation events are read (a factory's deployment block saves reading history it cannot hold). */
    from_block: v.optional(int(0, Number.MAX_SAFE_INTEGER), 0),
    /** `all`: the sizes of a base token without `sizes` (an unlisted one), as basis points of what its deepest pool of the pair holds. */
    depth_sizes_bps: v.optional(v.pipe(v.array(int(1, 10_000)), v.minLength(1, 'needs at least one size'), v.maxLength(32, 'at most 32 sizes')), [10, 100, 1000]),
  }), { pairs: 'configured' }),
  gates: v.strictObject({
    max_price_deviation_bps: Bps,
    max_slippage_bps: Bps,
    min_net_profit_bps: Bps,
  }),
  gas: v.strictObject({
    /** Gas of the arbitrage transaction beyond the two swaps (calldata, transfers, checks). */
    overhead_units: GasUnits,
    /** Swap gas where the venue's quote gives no estimate (V2 routers). */
    v2_swap_units: GasUnits,
    /** Local V3 quotes: swap gas before ticks, and per initialized tick crossed. */
    v3_swap_units: v.optional(GasUnits, 90_000),
    tick_cross_units: v.optional(GasUnits, 25_000),
  }),
  quoting: v.optional(v.strictObject({
    /** onchain: every quote through the venue's quoter; local: exact local math, on-chain fallback. */
    quoter: v.optional(v.picklist(['onchain', 'local'], 'must be onchain or local'), 'local'),
    /** V3 tick-bitmap words read on each side of the price (256 × tickSpacing ticks each). */
    word_radius: v.optional(int(0, 64), 4),
    /** Sync mode (watch): every this many blocks a few random pools are re-read in full and compared (0: never). */
    verify_every: v.optional(int(0, 1_000_000), 100),
    /** Sync mode: every this many blocks the universe is discovered and read in full again (new pools). */
    rediscover_every: v.optional(int(1, 10_000_000), 7_200),
  }), { quoter: 'local', word_radius: 4, verify_every: 100, rediscover_every: 7_200 }),
  report: v.optional(v.strictObject({
    top_n: v.optional(int(1, 1_000), 10),
    /** `--artifacts changed`: a changed verdict's details (snapshot, histogram) are written at most once per this many blocks. */
    details_every: v.optional(int(1, 1_000_000), 20),
  }), { top_n: 10, details_every: 20 }),
  alerts: v.optional(AlertsConfig),
  execution: v.optional(ExecutionConfig, {}),
  smoke: v.optional(v.strictObject({ fixture: v.pipe(v.string(), v.minLength(1)) })),
})
export type ConfigInput = v.InferInput<typeof ConfigSchema>
export type ConfigFile = v.InferOutput<typeof ConfigSchema>
