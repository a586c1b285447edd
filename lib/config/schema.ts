import * as v from 'valibot'

const Address = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address'))
const PositiveInt = v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be >= 1'))
const Bps = v.pipe(v.number('must be a number of basis points'), v.minValue(0, 'must be >= 0'), v.maxValue(10_000, 'must be <= 10000'))
/** Token amounts are written as decimal strings ("0.5") and parsed exactly, never through floats. */
export const DecimalAmount = v.pipe(
  v.string('must be a quoted decimal string such as "1.5" (no floats for money)'),
  v.regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a non-negative decimal string such as "1.5"'),
)
const Url = v.pipe(v.string(), v.regex(/^(https?|wss?):\/\/\S+$/, 'must be an http(s) or ws(s) URL'))

export const TokenConfig = v.strictObject({
  address: Address,
  decimals: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(36)),
  /** A USD stablecoin: its units count as dollars for display. */
  usd: v.optional(v.boolean(), false),
})

const V3Dex = v.strictObject({
  type: v.literal('uniswap_v3'),
  factory: Address,
  quoter: Address,
  fee_tiers: v.pipe(v.array(v.picklist([100, 500, 3000, 10_000], 'must be one of 100, 500, 3000, 10000')), v.minLength(1)),
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
const V2Dex = v.strictObject({
  type: v.literal('uniswap_v2'),
  factory: Address,
  router: Address,
  /** Swap fee in hundredths of a bip, as the pair's code charges it (Uniswap V2: 3000 = 0.3%). */
  fee: v.optional(v.number(), 3000),
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
const AlgebraDex = v.strictObject({
  type: v.literal('algebra'),
  factory: Address,
  quoter: Address,
  enabled: v.optional(v.boolean(), true),
  note: v.optional(v.string()),
})
export const DexConfig = v.variant('type', [V3Dex, V2Dex, AlgebraDex])

export const PairConfig = v.strictObject({
  base: v.string(),
  quote: v.string(),
  /** Trade sizes in base-token units, e.g. ["0.1", "1"]. */
  sizes: v.pipe(v.array(DecimalAmount), v.minLength(1, 'needs at least one size')),
  /** The venue whose price anchors the sanity gate, as `dex` or `dex:fee`. */
  anchor: v.string(),
  /** Minimum net profit in quote-token units, on top of min_net_profit_bps. */
  min_net_profit: v.optional(DecimalAmount, '0'),
})

export const ConfigSchema = v.strictObject({
  chain: v.strictObject({ name: v.string(), chain_id: PositiveInt }),
  rpc: v.strictObject({
    endpoints: v.array(Url),
    /** `{key}` is replaced by ALCHEMY_API_KEY when that variable is set. */
    alchemy_url_template: v.optional(Url),
    timeout_ms: v.optional(PositiveInt, 10_000),
    retries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 3),
    backoff_base_ms: v.optional(PositiveInt, 500),
    /** Requests per second per endpoint (token bucket; Alchemy free ≈ 12 eth_call/s). */
    rate_limit_rps: v.optional(v.pipe(v.number(), v.minValue(0.1)), 20),
    /** No more retries once a cycle has spent this long. */
    cycle_retry_budget_ms: v.optional(PositiveInt, 20_000),
    /** Pin this many blocks behind the highest head, so more endpoints can serve the pin. */
    pin_lag_blocks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
    /** Multicall3 calls per eth_call chunk, each with an explicit gas budget. */
    batch_size: v.optional(PositiveInt, 40),
    gas_per_call: v.optional(PositiveInt, 1_000_000),
  }),
  contracts: v.strictObject({ multicall3: Address }),
  tokens: v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.]+$/, 'token symbols are letters and digits')), TokenConfig),
  dexes: v.record(v.pipe(v.string(), v.regex(/^[a-z0-9_]+$/, 'dex names are lower_snake_case')), DexConfig),
  pairs: v.pipe(v.array(PairConfig), v.minLength(1, 'needs at least one pair')),
  gates: v.strictObject({
    max_price_deviation_bps: Bps,
    max_slippage_bps: Bps,
    min_net_profit_bps: Bps,
  }),
  gas: v.strictObject({
    /** Gas of the arbitrage transaction beyond the two swaps (calldata, transfers, checks). */
    overhead_units: PositiveInt,
    /** Swap gas where the venue's quote gives no estimate (V2 routers). */
    v2_swap_units: PositiveInt,
    /** Local V3 quotes: swap gas before ticks, and per initialized tick crossed. */
    v3_swap_units: v.optional(PositiveInt, 90_000),
    tick_cross_units: v.optional(PositiveInt, 25_000),
  }),
  quoting: v.optional(v.strictObject({
    /** onchain: every quote through the venue's quoter; local: exact local math, on-chain fallback. */
    quoter: v.optional(v.picklist(['onchain', 'local']), 'local'),
    /** V3 tick-bitmap words read on each side of the price (256 × tickSpacing ticks each). */
    word_radius: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)), 4),
  }), { quoter: 'local', word_radius: 4 }),
  report: v.optional(v.strictObject({ top_n: v.optional(PositiveInt, 10) }), { top_n: 10 }),
  smoke: v.optional(v.strictObject({ fixture: v.string() })),
})
export type ConfigInput = v.InferInput<typeof ConfigSchema>
export type ConfigFile = v.InferOutput<typeof ConfigSchema>
