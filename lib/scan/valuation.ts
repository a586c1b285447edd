import type { Config, Pair, Token } from '../config/resolve.ts'
import type { QuoteOk } from './types.ts'

/** A conversion rate `num/den` from one token's base units to another's. */
export type Rate = { num: bigint; den: bigint }

/** A token's way to USD at a block: the rate to a stablecoin's units (1/1 for a stablecoin) and that stablecoin's decimals. */
export type UsdRoute = { rate: Rate; decimals: number }

/** `gasWei` in another token's units at `rate`, rounded up (costs are never understated). */
export function costIn(gasWei: bigint, rate: Rate): bigint {
  return (gasWei * rate.num + rate.den - 1n) / rate.den
}

/** Exact micro-USD of `amount` (6 decimals, truncated toward zero) along `route`. */
export function usdMicroAt(amount: bigint, route: UsdRoute): bigint {
  const value = (amount * route.rate.num) / route.rate.den
  return route.decimals >= 6 ? value / 10n ** BigInt(route.decimals - 6) : value * 10n ** BigInt(6 - route.decimals)
}

/** USD of `amount` along `route`, for display (a float). */
export function usdAt(amount: bigint, route: UsdRoute): number {
  return Number((amount * route.rate.num) / route.rate.den) / 10 ** route.decimals
}

/**
 * Converts gas (ETH wei) and profits (any token) using the cycle's own anchor quotes
 * at the smallest size: the same block, no outside price feed. Estimates for costs and
 * display only; trade legs are never derived from these rates.
 */
export class Valuation {
  /** A cycle's quotes never change: each rate (and route to USD) is found once, then looked up. */
  private readonly rates = new Map<Token, Map<Token, Rate | null>>()
  private readonly routes = new Map<Token, UsdRoute | null>()

  /** `anchorQuote`: a pair's anchor quote at its smallest size, selling, if it passed the gates this cycle. */
  constructor(private readonly config: Config, private readonly anchorQuote: (pair: Pair) => QuoteOk | undefined) {}

  /** Rate from `from` units to `to` units, via a configured pair in either orientation. */
  rate(from: Token, to: Token): Rate | null {
    let row = this.rates.get(from)
    if (!row) this.rates.set(from, row = new Map())
    if (!row.has(to)) row.set(to, this.findRate(from, to))
    return row.get(to)!
  }

  private findRate(from: Token, to: Token): Rate | null {
    if (from === to) return { num: 1n, den: 1n }
    for (const pair of this.config.pairs) {
      if (pair.base !== from && pair.base !== to) continue
      if (pair.quote !== from && pair.quote !== to) continue
      const quote = this.anchorQuote(pair)
      if (!quote) continue
      return pair.base === from
        ? { num: quote.amountOut, den: quote.amountIn }
        : { num: quote.amountIn, den: quote.amountOut }
    }
    return null
  }

  /** Gas cost in `token` units, rounded up (costs are never understated). */
  gasCost(gasWei: bigint, token: Token): bigint | null {
    const rate = this.rate(this.config.tokens.get('WETH')!, token)
    return rate && costIn(gasWei, rate)
  }

  /**
   * Exact USD value in micro-dollars (6 decimals, truncated toward zero), for the original's
   * 6-dp "usdc" strings: a USD stablecoin counts 1:1, others go through WETH at this block's
   * anchor quotes. null when no USD numeraire can be reached.
   */
  usdMicro(amount: bigint, token: Token): bigint | null {
    const route = this.usdRoute(token)
    return route && usdMicroAt(amount, route)
  }

  /**
   * The rate from `token` units to micro-USD at this block (a stablecoin 1:1, others through
   * WETH): what a trade keeps so its realized figures can be valued after the cycle is gone.
   */
  usdMicroRate(token: Token): Rate | null {
    const route = this.usdRoute(token)
    if (!route) return null
    const { decimals, rate } = route
    const s: Rate = decimals >= 6 ? { num: 1n, den: 10n ** BigInt(decimals - 6) } : { num: 10n ** BigInt(6 - decimals), den: 1n }
    return { num: rate.num * s.num, den: rate.den * s.den }
  }

  /** USD value for display: a USD stablecoin counts 1:1, others go through WETH. */
  usd(amount: bigint, token: Token): number | null {
    const route = this.usdRoute(token)
    return route && usdAt(amount, route)
  }

  /** How `token` units become USD at this block (null: no USD numeraire reachable), found once: plain figures a verdict may keep. */
  usdRoute(token: Token): UsdRoute | null {
    if (!this.routes.has(token)) this.routes.set(token, this.findRoute(token))
    return this.routes.get(token)!
  }

  /** A stablecoin 1:1; any other token through WETH to the first USD stablecoin WETH reaches at this block. */
  private findRoute(token: Token): UsdRoute | null {
    if (token.usd) return { rate: { num: 1n, den: 1n }, decimals: token.decimals }
    const weth = this.config.tokens.get('WETH')!
    const stable = [...this.config.tokens.values()].find((t) => t.usd && this.rate(weth, t))
    if (!stable) return null
    const toWeth = this.rate(token, weth)
    const toUsd = this.rate(weth, stable)
    if (!toWeth || !toUsd) return null
    return { rate: { num: toWeth.num * toUsd.num, den: toWeth.den * toUsd.den }, decimals: stable.decimals }
  }
}
