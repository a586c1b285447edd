import { discoverPools, type RegisteredPool } from '../chain/registry.ts'
import type { Config, Pair, Token } from '../config/resolve.ts'
import type { RpcClient } from '../rpc/client.ts'

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
 * is chosen once the pools are known.
 */
export function candidatePairs(config: Config): { pairs: Omit<Pair, 'anchor'>[]; skipped: string[] } {
  const tokens = [...config.tokens.values()]
  const rank = quoteRanks(config)
  const configured = new Set(config.pairs.map((p) => [p.base.symbol, p.quote.symbol].sort().join('/')))
  const pairs: Omit<Pair, 'anchor'>[] = []
  const skipped: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) {
      const { base, quote } = quoteSide(config, tokens[i]!, tokens[j]!, rank)
      if (configured.has([base.symbol, quote.symbol].sort().join('/'))) continue
      const name = `${base.symbol}/${quote.symbol}`
      if (!base.sizes) skipped.push(`${name} (tokens.${base.symbol}.sizes not set)`)
      else pairs.push({ name, base, quote, sizes: base.sizes, minNetProfit: quote.minNetProfit ?? 0n })
    }
  }
  return { pairs, skipped }
}

export type WidenedPairs = { pairs: Pair[]; candidates: number; skipped: string[] }

/**
 * `universe.pairs: tokens`, at a pinned block: the candidate pairs whose pools the enabled
 * venues' factories name and verify (the registry's own discovery), kept where at least two
 * venues have one (a cross-DEX route needs two) and whose quote token has a WETH route to
 * price gas; each anchored at its deepest pool (the most base tokens held). Returns the
 * configured pairs followed by those found.
 */
export async function widenPairs(client: RpcClient, config: Config, blockNumber: bigint): Promise<WidenedPairs> {
  const { pairs: candidates, skipped } = candidatePairs(config)
  if (!candidates.length) return { pairs: config.pairs, candidates: 0, skipped }
  // Anchored provisionally at the first venue: discovery reads only the pairs' tokens and venues.
  const provisional = candidates.map((pair): Pair => ({ ...pair, anchor: config.venues[0]!.key }))
  const registry = await discoverPools({ client, config: { ...config, pairs: provisional }, blockNumber })
  const pools = new Map<string, RegisteredPool[]>()
  for (const pool of registry.pools) pools.set(pool.pair.name, [...(pools.get(pool.pair.name) ?? []), pool])
  const found: Pair[] = []
  for (const pair of provisional) {
    const mine = pools.get(pair.name) ?? []
    if (mine.length < 2) continue
    const deepest = mine.reduce((a, b) => (b.baseBalance > a.baseBalance ? b : a))
    found.push({ ...pair, anchor: deepest.venue.key })
  }
  // Gas is paid in ETH: a quote token other than WETH needs a pair with WETH.
  const all = [...config.pairs, ...found]
  const weth = config.tokens.get('WETH')!
  const priced = (quote: Token) => quote === weth || all.some((p) => (p.base === weth && p.quote === quote) || (p.base === quote && p.quote === weth))
  for (const pair of found.filter((p) => !priced(p.quote))) skipped.push(`${pair.name} (no pair of WETH and ${pair.quote.symbol} to price gas)`)
  return { pairs: [...config.pairs, ...found.filter((p) => priced(p.quote))], candidates: candidates.length, skipped }
}
