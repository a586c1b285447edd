import * as v from 'valibot'
import { parse } from 'yaml'
import { EMBEDDED_CONFIGS } from './defaults.ts'
import { Address, int, num, RpcUrl } from './fields.ts'
import { parseAmount } from './resolve.ts'
import { ConfigSchema, type ConfigFile, type ConfigInput } from './schema.ts'

/**
 * The original arbybot's flat `real_minimal.yaml` (its REAL canary config), read so that its
 * users can point ARBY at the file they have. Every key is translated to ARBY's nested config
 * and the translation is spelled out (notes), including what ARBY does differently: trust
 * anchors (factories, quoters, Multicall3) come from ARBY's shipped config/arbitrum.yaml, as
 * the original took them from its dexes.yaml; pool labels are not used (ARBY finds and
 * verifies pools on-chain; the original's labels named the wrong pools).
 */
export const LegacyConfig = v.strictObject({
  chain: v.optional(v.string()),
  chain_id: v.optional(int(1, 4_294_967_295, 'a chain id')),
  rpc_endpoints: v.optional(v.array(RpcUrl)),
  rpc_timeout_seconds: v.optional(num(0.001, 600)),
  rpc_retries: v.optional(int(0, 20)),
  rpc_backoff_base_ms: v.optional(int(1, 60_000)),
  dexes: v.optional(v.array(v.string())),
  pairs: v.pipe(v.array(v.strictObject({
    token_in: v.string(),
    token_out: v.string(),
    fee_tiers: v.optional(v.array(v.picklist([100, 500, 3000, 10_000], 'must be one of 100, 500, 3000, 10000'))),
  })), v.minLength(1, 'needs at least one pair')),
  /** Labels only, never used (some of the original's do not even carry a valid checksum). */
  pools: v.optional(v.record(v.string(), v.string())),
  tokens: v.optional(v.record(v.string(), Address)),
  quote_decimals: v.optional(v.record(v.string(), int(0, 36))),
  quote_amount_in_wei: v.optional(v.union([v.pipe(v.string(), v.regex(/^[1-9]\d*$/, 'must be whole base units')), int(1, Number.MAX_SAFE_INTEGER)])),
  quote_amount_in_human: v.optional(v.string()),
  max_slippage_bps: v.optional(num(0, 10_000)),
  min_net_bps: v.optional(num(0, 10_000)),
  price_sanity_enabled: v.optional(v.boolean()),
  price_sanity_max_deviation_bps: v.optional(num(0, 10_000)),
  cooldown_seconds: v.optional(num(0, 86_400)),
  notion_capital_usdc: v.optional(v.string()),
  execution_enabled: v.optional(v.boolean()),
  execution_block_reason: v.optional(v.string()),
})
export type LegacyConfig = v.InferOutput<typeof LegacyConfig>

/** The original's flat format is recognised by keys ARBY's nested format never has at the top. */
export function isLegacyConfig(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false
  const keys = Object.keys(data)
  return ['chain_id', 'rpc_endpoints', 'quote_amount_in_wei', 'min_net_bps', 'notion_capital_usdc'].some((key) => keys.includes(key))
    || (Array.isArray((data as { pairs?: unknown }).pairs) && (data as { pairs: unknown[] }).pairs.some((p) => !!p && typeof p === 'object' && 'token_in' in p))
}

/** ARBY's trust anchors (Arbitrum One): factories, quoters, tokens, gas figures. */
function anchors(): ConfigFile {
  return v.parse(ConfigSchema, parse(EMBEDDED_CONFIGS['config/arbitrum.yaml']!))
}

export type Translation = { config: ConfigInput; notes: string[] }

/** Translates a validated legacy file; `fail` reports a problem at a key of the original file. */
export function translateLegacy(legacy: LegacyConfig, fail: (path: (string | number)[], message: string) => never): Translation {
  const base = anchors()
  const notes: string[] = ['this is the original arbybot\'s flat config format; read as ARBY\'s equivalent below (`config check` prints it)']
  const note = (line: string) => notes.push(line)

  const tokens: ConfigInput['tokens'] = {}
  const symbols = [...new Set(legacy.pairs.flatMap((p) => [p.token_in, p.token_out]).concat(['WETH']))]
  for (const symbol of symbols) {
    const known = base.tokens[symbol]
    const address = legacy.tokens?.[symbol] ?? known?.address
    if (!address) fail(['tokens'], `token ${symbol} has no address (add it under tokens:)`)
    const decimals = legacy.quote_decimals?.[symbol] ?? known?.decimals
    if (decimals === undefined) fail(['quote_decimals'], `token ${symbol} has no decimals (add it under quote_decimals:)`)
    tokens[symbol] = { address, decimals, usd: known?.usd ?? /^(USDC|USDT|DAI)$/.test(symbol) }
  }
  if (legacy.tokens || legacy.quote_decimals) note('tokens + quote_decimals → tokens.<SYMBOL>.{address, decimals}')

  const wanted = legacy.dexes ?? ['uniswap_v3', 'sushiswap_v3']
  const tiers = [...new Set(legacy.pairs.flatMap((p) => p.fee_tiers ?? []))].sort((a, b) => a - b)
  const dexes: ConfigInput['dexes'] = {}
  wanted.forEach((name, index) => {
    const dex = base.dexes[name]
    if (!dex) fail(['dexes', index], `ARBY has no trust anchors for dex "${name}" (it knows ${Object.keys(base.dexes).join(', ')})`)
    dexes[name] = dex.type === 'uniswap_v3' && tiers.length ? { ...dex, fee_tiers: tiers as (100 | 500 | 3000 | 10_000)[] } : dex
  })
  note(`dexes ${JSON.stringify(wanted)} → dexes.<name> with factory and quoter from ARBY's config/arbitrum.yaml${tiers.length ? `; pairs[].fee_tiers → dexes.<name>.fee_tiers ${JSON.stringify(tiers)}` : ''}`)

  const venueKeys = Object.entries(dexes).flatMap(([name, dex]) => (dex.type === 'uniswap_v3' ? dex.fee_tiers.map((fee) => `${name}:${fee}`) : [name]))
  const anchor = venueKeys.includes('uniswap_v3:500') ? 'uniswap_v3:500' : venueKeys[0]!
  const pairs = legacy.pairs.map((pair, index) => {
    const decimals = tokens[pair.token_in]!.decimals
    const units = BigInt(legacy.quote_amount_in_wei ?? 10n ** BigInt(decimals))
    const size = humanAmount(units, decimals)
    if (typeof parseAmount(size, decimals) === 'string') fail(['pairs', index], 'bad size')
    return { base: pair.token_in, quote: pair.token_out, sizes: [size], anchor, min_net_profit: '0' }
  })
  note(`pairs[].token_in/token_out → pairs[].base/quote; quote_amount_in_wei → pairs[].sizes ${JSON.stringify(pairs[0]!.sizes)}; anchor ${anchor} (the original's uniswap_v3-first price anchor)`)

  const rpc: ConfigInput['rpc'] = {
    ...base.rpc,
    endpoints: legacy.rpc_endpoints ?? base.rpc.endpoints,
    ...(legacy.rpc_timeout_seconds !== undefined && { timeout_ms: Math.round(legacy.rpc_timeout_seconds * 1000) }),
    ...(legacy.rpc_retries !== undefined && { retries: legacy.rpc_retries }),
    ...(legacy.rpc_backoff_base_ms !== undefined && { backoff_base_ms: legacy.rpc_backoff_base_ms }),
  }
  note('rpc_endpoints, rpc_timeout_seconds, rpc_retries, rpc_backoff_base_ms → rpc.endpoints, rpc.timeout_ms (× 1000), rpc.retries, rpc.backoff_base_ms')

  const gates = {
    max_price_deviation_bps: legacy.price_sanity_enabled === false ? 10_000 : legacy.price_sanity_max_deviation_bps ?? base.gates.max_price_deviation_bps,
    max_slippage_bps: legacy.max_slippage_bps ?? base.gates.max_slippage_bps,
    min_net_profit_bps: legacy.min_net_bps ?? base.gates.min_net_profit_bps,
  }
  note('price_sanity_max_deviation_bps → gates.max_price_deviation_bps (price_sanity_enabled: false → 10000); max_slippage_bps → gates.max_slippage_bps (the original never enforced it in REAL; ARBY does)')
  if (legacy.min_net_bps !== undefined) note(`min_net_bps ${legacy.min_net_bps} → gates.min_net_profit_bps: in ARBY the net profit after gas over the trade's cost, not the gross spread`)
  if (legacy.pools) note('pools: not used — labels only in the original (and they named WETH/USDC.e pools); ARBY finds each pool from its factory and verifies it on-chain')
  const paper = {
    ...(legacy.cooldown_seconds !== undefined && { cooldown_seconds: Math.round(legacy.cooldown_seconds) }),
    ...(legacy.notion_capital_usdc !== undefined && { notional_capital_usdc: legacy.notion_capital_usdc }),
  }
  if (Object.keys(paper).length) note('cooldown_seconds, notion_capital_usdc → execution.paper.cooldown_seconds, execution.paper.notional_capital_usdc (paper trading runs with --execution paper)')
  if (legacy.execution_enabled !== undefined || legacy.execution_block_reason !== undefined) note('execution_enabled, execution_block_reason: documentation only in the original; ARBY\'s switch is execution.mode (off by default)')

  const config: ConfigInput = {
    chain: { name: legacy.chain ?? base.chain.name, chain_id: legacy.chain_id ?? base.chain.chain_id },
    rpc,
    contracts: base.contracts,
    tokens,
    dexes,
    pairs,
    gates,
    gas: base.gas,
    quoting: base.quoting,
    report: base.report,
    ...(Object.keys(paper).length && { execution: { paper } }),
  }
  return { config, notes }
}

/** Base units as the exact decimal string of whole tokens ("1000000000000000000", 18 → "1"). */
function humanAmount(units: bigint, decimals: number): string {
  const whole = units / 10n ** BigInt(decimals)
  const fraction = (units % 10n ** BigInt(decimals)).toString().padStart(decimals, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : `${whole}`
}
