import { getAddress, type Address } from 'viem'
import { discoverPools, type RegisteredPool } from '../chain/registry.ts'
import { readTokenInfo, type TokenInfo } from '../chain/tokenInfo.ts'
import type { Config, Pair, Token } from '../config/resolve.ts'
import type { RpcClient } from '../rpc/client.ts'
import type { CreatedPool } from './cache.ts'

/**
 * Which token of two quotes the other: the first in `universe.quote_order`, else a USD
 * stablecoin, else WETH, else the one listed first. A pair is always seen one way round.
 */
function quoteSide(config: Config, a: Token, b: Token, rank = quoteRanks(config)): { base: Token; quote: Token } {
  return rank.get(a)! < rank.get(b)! ? { base: b, quote: a } : { base: a, quote: b }
}

/** Each token's place in the quote order (lower quotes higher). */
function quoteRanks(config: Config): Map<Token, number> {
  const rank = new Map<Token, number>()
  for (const token of [...config.universe.quoteOrder, ...[...config.tokens.values()].filter((t) => t.usd), config.tokens.get('WETH')!, ...config.tokens.values()]) {
    if (!rank.has(token)) rank.set(token, rank.size)
  }
  return rank
}

/**
 * The pairs `universe.pairs: tokens` may add: every two listed tokens not already a configured
 * pair, oriented by `quoteSide`, with the base token's sizes and the quote token's least net
 * profit; a pair whose base has no sizes cannot be quoted (it is named in `skipped`). The anchor
 * is chosen once the pools are known. `only`: the token pairs (`tokenPairKey`) to consider.
 */
export function candidatePairs(config: Config, only?: ReadonlySet<string>): { pairs: Omit<Pair, 'anchor'>[]; skipped: string[] } {
  const tokens = [...config.tokens.values()]
  const rank = quoteRanks(config)
  const configured = new Set(config.pairs.map((p) => tokenPairKey(p.base.address, p.quote.address)))
  const pairs: Omit<Pair, 'anchor'>[] = []
  const skipped: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) {
      const { base, quote } = quoteSide(config, tokens[i]!, tokens[j]!, rank)
      const key = tokenPairKey(base.address, quote.address)
      if (configured.has(key) || (only && !only.has(key))) continue
      const name = `${base.symbol}/${quote.symbol}`
      if (!base.sizes) skipped.push(`${name} (tokens.${base.symbol}.sizes not set)`)
      else pairs.push({ name, base, quote, sizes: base.sizes, minNetProfit: quote.minNetProfit ?? 0n })
    }
  }
  return { pairs, skipped }
}

export type WidenedPairs = { pairs: Pair[]; candidates: number; skipped: string[] }

/** A pair before its pools are known: sizes null are taken from its deepest pool's depth. */
type Provisional = Omit<Pair, 'anchor' | 'sizes'> & { sizes: bigint[] | null }

/**
 * `universe.pairs: tokens`, at a pinned block: the candidate pairs whose pools the enabled
 * venues' factories name and verify (the registry's own discovery), kept where at least two
 * venues have one (a cross-DEX route needs two) and whose quote token has a WETH route to
 * price gas; each anchored at its deepest pool (the most base tokens held). Returns the
 * configured pairs followed by those found.
 */
export async function widenPairs(client: RpcClient, config: Config, blockNumber: bigint, only?: ReadonlySet<string>): Promise<WidenedPairs> {
  const { pairs: candidates, skipped } = candidatePairs(config, only)
  if (!candidates.length) return { pairs: config.pairs, candidates: 0, skipped }
  return { pairs: await settlePairs(client, config, blockNumber, candidates, skipped), candidates: candidates.length, skipped }
}

/**
 * The provisional pairs' pools found and verified at the block by the registry's discovery; a
 * pool counts when it holds at least the quote token's `min_liquidity` of it, and a pair is kept
 * with two counted pools (a cross-DEX route needs two), anchored at the deepest (the most base
 * held), its sizes — where the base has none — `universe.depth_sizes_bps` of that pool's base;
 * then only pairs whose quote token has a WETH route to price gas. Returns the configured pairs
 * followed by those kept; what is left out is named in `skipped`.
 */
async function settlePairs(client: RpcClient, config: Config, blockNumber: bigint, candidates: Provisional[], skipped: string[]): Promise<Pair[]> {
  // Anchored provisionally at the first venue: discovery reads only the pairs' tokens and venues.
  const provisional = candidates.map((pair): Pair => ({ ...pair, sizes: pair.sizes ?? [1n], anchor: config.venues[0]!.key }))
  const registry = await discoverPools({ client, config: { ...config, pairs: provisional }, blockNumber })
  const pools = new Map<string, RegisteredPool[]>()
  for (const pool of registry.pools) pools.set(pool.pair.name, [...(pools.get(pool.pair.name) ?? []), pool])
  const found: Pair[] = []
  for (const [k, pair] of provisional.entries()) {
    const verified = pools.get(pair.name) ?? []
    const floor = pair.quote.minLiquidity ?? 0n
    const mine = verified.filter((pool) => BigInt(pool.record.quote_balance) >= floor)
    if (mine.length < 2) {
      if (verified.length >= 2) skipped.push(`${pair.name} (${mine.length} of its ${verified.length} pools hold ${pair.quote.symbol}'s min_liquidity)`)
      continue
    }
    const deepest = mine.reduce((a, b) => (b.baseBalance > a.baseBalance ? b : a))
    const sizes = candidates[k]!.sizes ?? depthSizes(deepest.baseBalance, config.universe.depthSizesBps)
    if (!sizes.length) {
      skipped.push(`${pair.name} (its deepest pool holds too little ${pair.base.symbol} for a size)`)
      continue
    }
    found.push({ ...pair, sizes, anchor: deepest.venue.key })
  }
  // Gas is paid in ETH: a quote token other than WETH needs a pair with WETH.
  const scanned = [...config.pairs, ...found]
  const weth = config.tokens.get('WETH')!
  const priced = (quote: Token) => quote === weth || scanned.some((p) => (p.base === weth && p.quote === quote) || (p.base === quote && p.quote === weth))
  for (const pair of found.filter((p) => !priced(p.quote))) skipped.push(`${pair.name} (no pair of WETH and ${pair.quote.symbol} to price gas)`)
  return [...config.pairs, ...found.filter((p) => priced(p.quote))]
}

/** `bps` of `depth` base units, each a distinct size above 0, smallest first. */
function depthSizes(depth: bigint, bps: readonly bigint[]): bigint[] {
  return [...new Set(bps.map((b) => (depth * b) / 10_000n).filter((size) => size > 0n))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

export type UniversePairs = WidenedPairs & {
  /** Tokens not listed that the kept pairs trade (decimals and symbol read at the block). */
  tokens: Token[]
  /** Pools created on the enabled venues. */
  created: number
}

/**
 * `universe.pairs: all`, at a pinned block: every two tokens the enabled venues' factories
 * created pools for (their creation events, `created`) on at least two venues, one of them a
 * listed token to quote the pair in (`quoteSide`: a token never listed is never a quote, nor a
 * USD stablecoin) with its `min_liquidity` set. A token not listed is read on-chain (decimals,
 * symbol) and named by its symbol where that is a free config name, else by its address; then
 * pools, floors, anchors, sizes and gas routes as `settlePairs`. `only`: the token pairs
 * (`tokenPairKey`) to consider, where a run widens to what new pools may have made a pair.
 */
export async function pairsOfCreated(client: RpcClient, config: Config, blockNumber: bigint, created: readonly CreatedPool[], only?: ReadonlySet<string>): Promise<UniversePairs> {
  // Listed tokens quote; tokens discovered before (a run widening its pairs) keep their names, never quote.
  const known = new Map([...config.tokens.values()].map((token) => [token.address.toLowerCase(), token]))
  const listed = new Map([...known].filter(([, token]) => !token.discovered))
  const configured = new Set(config.pairs.map((p) => tokenPairKey(p.base.address, p.quote.address)))
  const venueOf = (pool: CreatedPool) => config.venues.find((v) => v.factory.toLowerCase() === pool.factory && (v.type !== 'uniswap_v3' || v.fee === pool.fee))
  const groups = new Map<string, { tokens: [string, string]; venues: Set<string> }>()
  let onVenues = 0
  for (const pool of created) {
    const venue = venueOf(pool)
    if (!venue || pool.token0 === pool.token1) continue
    onVenues++
    const tokens = [pool.token0, pool.token1].sort() as [string, string]
    const key = tokens.join('|')
    if (configured.has(key) || (only && !only.has(key))) continue
    const group = groups.get(key) ?? { tokens, venues: new Set() }
    group.venues.add(venue.key)
    groups.set(key, group)
  }
  const skipped: string[] = []
  // One listed token at least (the quote) with its floor; the other, if not listed, read on-chain.
  const quotable = [...groups.values()].filter((g) => g.venues.size >= 2)
  const unlistedPairs = quotable.filter((g) => !listed.has(g.tokens[0]) && !listed.has(g.tokens[1])).length
  if (unlistedPairs) skipped.push(`${unlistedPairs} pair(s) of two unlisted tokens (one must be listed to quote in)`)
  const kept = quotable.filter((g) => listed.has(g.tokens[0]) || listed.has(g.tokens[1]))
  const unknown = [...new Set(kept.flatMap((g) => g.tokens.filter((t) => !known.has(t))))]
  const info = await readTokenInfo(client, config, unknown.map((a) => getAddress(a)), blockNumber)
  const discovered = nameTokens(unknown, info, [...config.tokens.keys()])
  const unreadable = unknown.filter((a) => !discovered.has(a))
  if (unreadable.length) skipped.push(`pairs of ${unreadable.length} token(s) without readable decimals (0-36): ${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}`)
  const rank = quoteRanks(config)
  const noFloor = new Map<Token, number>()
  const candidates: Provisional[] = []
  for (const group of kept) {
    const [a, b] = group.tokens.map((t) => known.get(t) ?? discovered.get(t))
    if (!a || !b) continue
    const [ra, rb] = [a.discovered ? Infinity : rank.get(a)!, b.discovered ? Infinity : rank.get(b)!]
    const { base, quote } = ra < rb ? { base: b, quote: a } : { base: a, quote: b }
    if (quote.minLiquidity === null) {
      noFloor.set(quote, (noFloor.get(quote) ?? 0) + 1)
      continue
    }
    candidates.push({ name: `${base.symbol}/${quote.symbol}`, base, quote, sizes: base.sizes, minNetProfit: quote.minNetProfit ?? 0n })
  }
  for (const [quote, n] of noFloor) skipped.push(`${n} pair(s) quoted in ${quote.symbol} (tokens.${quote.symbol}.min_liquidity not set)`)
  const pairs = candidates.length ? await settlePairs(client, config, blockNumber, candidates, skipped) : config.pairs
  const used = new Set(pairs.flatMap((p) => [p.base, p.quote]))
  return { pairs, candidates: candidates.length, skipped, created: onVenues, tokens: [...discovered.values()].filter((t) => used.has(t)) }
}

/**
 * Tokens not listed, as tokens (never a USD stablecoin, no sizes or floors of their own): named by
 * their symbol reduced to a config name (letters, digits and dots, 16 at most) where no listed or
 * earlier token has it in any case — a token calling itself USDC never takes the listed name —
 * else `T` and the first 10 hex digits of the address. A token without readable decimals is left out.
 */
export function nameTokens(addresses: readonly string[], reads: ReadonlyMap<Address, TokenInfo | null>, taken: readonly string[]): Map<string, Token> {
  const names = new Set(taken.map((symbol) => symbol.toUpperCase()))
  const out = new Map<string, Token>()
  for (const address of addresses) {
    const read = reads.get(getAddress(address))
    if (!read) continue
    const wanted = read.symbol?.replace(/[^A-Za-z0-9.]/g, '').slice(0, 16) ?? ''
    const symbol = wanted && !names.has(wanted.toUpperCase()) ? wanted : `T${address.slice(2, 12).toLowerCase()}`
    names.add(symbol.toUpperCase())
    out.set(address, { symbol, address: getAddress(address), decimals: read.decimals, usd: false, sizes: null, minNetProfit: null, minLiquidity: null, discovered: true })
  }
  return out
}

/** Two tokens' addresses as one key, whichever way round (lowercase, sorted). */
export function tokenPairKey(a: string, b: string): string {
  return [a.toLowerCase(), b.toLowerCase()].sort().join('|')
}
