import { getAddress, type Address } from 'viem'
import { ETH_CALL_GAS_CAP } from './fields.ts'
import type { ConfigFile } from './schema.ts'

export type Token = {
  symbol: string
  address: Address
  decimals: number
  usd: boolean
  /** `universe.pairs: tokens`: sizes as a discovered pair's base, and the least net profit as its quote (base units; null: not given). */
  sizes: bigint[] | null
  minNetProfit: bigint | null
  /** A discovered pair quoted in this token: the least a pool must hold of it to count (base units; null: not given). */
  minLiquidity: bigint | null
  /** Found by `universe.pairs: all` (decimals and symbol read on-chain), not listed in the config. */
  discovered?: true
}
export type DexType = 'uniswap_v3' | 'uniswap_v2' | 'algebra'

/** A place a pair can trade: one DEX, and for fee-tiered DEXes one fee tier. */
export type Venue = {
  key: string
  dex: string
  type: DexType
  /** Fee in hundredths of a bip for fixed-fee venues; null where the pool sets it (Algebra). */
  fee: number | null
  factory: Address
  /** QuoterV2 (V3, Algebra) or Router02 (V2). */
  quoter: Address
}

export type Pair = {
  name: string
  base: Token
  quote: Token
  sizes: bigint[]
  anchor: string
  minNetProfit: bigint
}

export type Config = {
  path: string
  chain: { name: string; chainId: number }
  rpc: ConfigFile['rpc']
  multicall3: Address
  tokens: Map<string, Token>
  venues: Venue[]
  pairs: Pair[]
  gates: ConfigFile['gates']
  gas: ConfigFile['gas']
  quoting: ConfigFile['quoting']
  execution: ConfigFile['execution']
  /** Which pairs are scanned: the configured ones, or also those discovered among the tokens (quote side: `quoteOrder` first). */
  universe: { pairs: 'configured' | 'tokens' | 'all'; quoteOrder: Token[]; fromBlock: bigint; depthSizesBps: bigint[]; cache: string | null }
  topN: number
  /** Blocks between two writes of a changed verdict's details (`--artifacts changed`). */
  detailsEvery: number
  smokeFixture: string | undefined
  alerts: ConfigFile['alerts']
  /** How a config in the original arbybot's format was translated (empty for ARBY's own format). */
  notes: string[]
}

type Fail = (path: (string | number)[], message: string) => never

/** A trade size in base units: > 0 and within what a swap can carry. */
function sizeOf(text: string, decimals: number, where: (string | number)[], fail: Fail): bigint {
  const amount = parseAmount(text, decimals)
  if (typeof amount === 'string') return fail(where, amount)
  if (amount === 0n) return fail(where, 'size must be > 0')
  if (amount >= MAX_AMOUNT) return fail(where, 'size is beyond what a swap can carry (2^255 base units)')
  return amount
}

/** A USD amount from the config (validated to ≤ 6 decimals) in micro-dollars. */
export function usdMicroOf(text: string): bigint {
  const micro = parseAmount(text, 6)
  if (typeof micro === 'string') throw new Error(`USD amount ${text} ${micro}`)
  return micro
}

/** Exact decimal string → base units; refuses more fractional digits than the token has. */
export function parseAmount(text: string, decimals: number): bigint | string {
  const [whole = '0', fraction = ''] = text.split('.')
  if (fraction.length > decimals) return `has ${fraction.length} decimals, the token has ${decimals}`
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0')
}

/** Cross-checks the parsed file (symbols, anchors, amounts) and builds the runtime config. */
export function resolveConfig(file: ConfigFile, fail: Fail, path: string): Config {
  refuseDuplicates(file, fail)
  const tokens = new Map<string, Token>()
  for (const [symbol, token] of Object.entries(file.tokens)) {
    const sizes = token.sizes?.map((size, k) => sizeOf(size, token.decimals, ['tokens', symbol, 'sizes', k], fail)) ?? null
    sizes?.forEach((size, k) => sizes.indexOf(size) !== k && fail(['tokens', symbol, 'sizes', k], `the same size as sizes[${sizes.indexOf(size)}] (${token.sizes![sizes.indexOf(size)]})`))
    const amountOf = (field: 'min_net_profit' | 'min_liquidity'): bigint | null => {
      const text = token[field]
      if (text === undefined) return null
      const amount = parseAmount(text, token.decimals)
      return typeof amount === 'string' ? fail(['tokens', symbol, field], amount) : amount
    }
    tokens.set(symbol, { symbol, address: getAddress(token.address), decimals: token.decimals, usd: token.usd, sizes: sizes && [...sizes].sort(compare), minNetProfit: amountOf('min_net_profit'), minLiquidity: amountOf('min_liquidity') })
  }
  if (file.pairs.length === 0 && file.universe.pairs === 'configured') fail(['pairs'], 'needs at least one pair (or universe.pairs: tokens or all)')
  const quoteOrder = (file.universe.quote_order ?? []).map((symbol, k) => tokens.get(symbol) ?? fail(['universe', 'quote_order', k], `unknown token "${symbol}" (not in tokens)`))

  const venues = venuesOf(file.dexes)
  const chunkGas = file.rpc.batch_size * file.rpc.gas_per_call + MULTICALL_BASE_GAS
  if (chunkGas > ETH_CALL_GAS_CAP) {
    fail(['rpc', 'batch_size'], `batch_size × gas_per_call + ${MULTICALL_BASE_GAS} = ${chunkGas} gas exceeds the ${ETH_CALL_GAS_CAP} eth_call cap of Nitro nodes`)
  }

  const pairs = file.pairs.map((pair, index): Pair => {
    const base = tokens.get(pair.base) ?? fail(['pairs', index, 'base'], `unknown token "${pair.base}" (not in tokens)`)
    const quote = tokens.get(pair.quote) ?? fail(['pairs', index, 'quote'], `unknown token "${pair.quote}" (not in tokens)`)
    if (base === quote) fail(['pairs', index, 'quote'], 'base and quote must differ')
    if (!venues.some((venue) => venue.key === pair.anchor)) {
      fail(['pairs', index, 'anchor'], `anchor "${pair.anchor}" is not an enabled venue (${venues.map((x) => x.key).join(', ')})`)
    }
    const sizes = pair.sizes.map((size, k) => sizeOf(size, base.decimals, ['pairs', index, 'sizes', k], fail))
    sizes.forEach((size, k) => {
      const first = sizes.indexOf(size)
      if (first !== k) fail(['pairs', index, 'sizes', k], `the same size as sizes[${first}] (${pair.sizes[first]})`)
    })
    const minNetProfit = parseAmount(pair.min_net_profit, quote.decimals)
    if (typeof minNetProfit === 'string') return fail(['pairs', index, 'min_net_profit'], minNetProfit)
    if (minNetProfit >= MAX_AMOUNT) return fail(['pairs', index, 'min_net_profit'], 'is beyond 2^255 base units')
    return { name: `${base.symbol}/${quote.symbol}`, base, quote, sizes: [...sizes].sort(compare), anchor: pair.anchor, minNetProfit }
  })

  // Gas is paid in ETH: every quote token needs a WETH route to price it.
  const weth = tokens.get('WETH') ?? fail(['tokens'], 'WETH must be listed: gas is priced through it')
  pairs.forEach((pair, index) => {
    if (pair.quote === weth) return
    const linked = (other: Pair) => (other.base === weth && other.quote === pair.quote) || (other.base === pair.quote && other.quote === weth)
    if (!pairs.some(linked)) {
      fail(['pairs', index, 'quote'], `no pair of WETH and ${pair.quote.symbol} to price gas in ${pair.quote.symbol}`)
    }
  })

  // USD figures are exact micro-dollars: at most 6 decimals.
  for (const [where, text] of [[['execution', 'paper', 'notional_capital_usdc'], file.execution.paper.notional_capital_usdc], [['execution', 'kill', 'max_daily_loss_usd'], file.execution.kill.max_daily_loss_usd]] as const) {
    const micro = parseAmount(text, 6)
    if (typeof micro === 'string') fail([...where], `${micro.replace('the token has', 'USD amounts have at most')}`)
  }

  return {
    path,
    chain: { name: file.chain.name, chainId: file.chain.chain_id },
    rpc: file.rpc,
    multicall3: getAddress(file.contracts.multicall3),
    tokens,
    venues,
    pairs,
    gates: file.gates,
    gas: file.gas,
    quoting: file.quoting,
    execution: file.execution,
    universe: { pairs: file.universe.pairs, quoteOrder, fromBlock: BigInt(file.universe.from_block ?? 0), depthSizesBps: (file.universe.depth_sizes_bps ?? [10, 100, 1000]).map(BigInt), cache: file.universe.cache ?? null },
    topN: file.report?.top_n ?? 10,
    detailsEvery: file.report?.details_every ?? 20,
    smokeFixture: file.smoke?.fixture,
    alerts: file.alerts,
    notes: [],
  }
}

/** Multicall3's own work per eth_call chunk and the 1/64 each call must leave behind. */
export const MULTICALL_BASE_GAS = 1_000_000
/** Swap amounts are int256 in the pools: sizes and thresholds stay below 2^255. */
const MAX_AMOUNT = 2n ** 255n

/**
 * A thing listed twice is counted twice downstream (the same pool under two venues, the same
 * opportunity twice with one id): refuse it, pointing at the second occurrence.
 */
function refuseDuplicates(file: ConfigFile, fail: Fail): void {
  const firstSeen = <K>(items: K[], at: (index: number) => (string | number)[], what: (item: K, first: number) => string) => {
    const seen = new Map<K, number>()
    items.forEach((item, index) => {
      const first = seen.get(item)
      if (first !== undefined) fail(at(index), what(item, first))
      seen.set(item, index)
    })
  }
  firstSeen(file.rpc.endpoints, (i) => ['rpc', 'endpoints', i], (_, first) => `the same endpoint as rpc.endpoints[${first}]`)
  const symbols = Object.keys(file.tokens)
  firstSeen(symbols.map((s) => file.tokens[s]!.address.toLowerCase()), (i) => ['tokens', symbols[i]!, 'address'], (_, first) => `the same address as token ${symbols[first]}`)
  const dexes = Object.entries(file.dexes)
  firstSeen(dexes.map(([, dex]) => dex.factory.toLowerCase()), (i) => ['dexes', dexes[i]![0], 'factory'], (_, first) => `the same factory as dex ${dexes[first]![0]} (one DEX listed twice would report every pool twice)`)
  for (const [name, dex] of dexes) {
    if (dex.type === 'uniswap_v3') firstSeen(dex.fee_tiers, (i) => ['dexes', name, 'fee_tiers', i], (fee) => `fee tier ${fee} is listed twice`)
  }
  const pairKey = (p: ConfigFile['pairs'][number]) => [p.base, p.quote].sort().join('/')
  firstSeen(file.pairs.map(pairKey), (i) => ['pairs', i], (_, first) => `the same pair as pairs[${first}] (${file.pairs[first]!.base}/${file.pairs[first]!.quote}); list each pair once`)
}

/** Venues of every enabled DEX: one per fee tier for V3 forks, one per DEX otherwise. */
export function venuesOf(dexes: ConfigFile['dexes']): Venue[] {
  const venues: Venue[] = []
  for (const [dex, entry] of Object.entries(dexes)) {
    if (!entry.enabled) continue
    const factory = getAddress(entry.factory)
    if (entry.type === 'uniswap_v3') {
      for (const fee of entry.fee_tiers) {
        venues.push({ key: `${dex}:${fee}`, dex, type: entry.type, fee, factory, quoter: getAddress(entry.quoter) })
      }
    } else if (entry.type === 'uniswap_v2') {
      venues.push({ key: dex, dex, type: entry.type, fee: entry.fee, factory, quoter: getAddress(entry.router) })
    } else {
      venues.push({ key: dex, dex, type: entry.type, fee: null, factory, quoter: getAddress(entry.quoter) })
    }
  }
  return venues
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
