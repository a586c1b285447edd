import type { Config, Token } from '../config/resolve.ts'
import { quoteId, type QuoteOk } from './types.ts'

/** A conversion rate `num/den` from one token's base units to another's. */
export type Rate = { num: bigint; den: bigint }

/**
 * Converts gas (ETH wei) and profits (any token) using the cycle's own anchor quotes
 * at the smallest size: the same block, no outside price feed. Estimates for costs and
 * display only; trade legs are never derived from these rates.
 */
export class Valuation {
  /** A cycle's quotes never change: each rate (and route to USD) is found once, then looked up. */
  private readonly rates = new Map<Token, Map<Token, Rate | null>>()
  private readonly stables = new Map<Token, { stable: Token; rate: Rate } | null>()

  /** `quotes`: the cycle's passed quotes by id (a Map will do). */
  constructor(private readonly config: Config, private readonly quotes: { get(id: string): QuoteOk | undefined }) {}

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
      const quote = this.quotes.get(quoteId(pair.name, pair.anchor, 'sell', pair.sizes[0]!))
      if (!quote) continue
      return pair.base === from
        ? { num: quote.amountOut, den: quote.amountIn }
        : { num: quote.amountIn, den: quote.amountOut }
    }
    return null
  }

  /** Gas cost in `token` units, rounded up (costs are never understated). */
  gasCost(gasWei: bigint, token: Token): bigint | null {
    const weth = this.config.tokens.get('WETH')!
    const rate = this.rate(weth, token)
    if (!rate) return null
    return (gasWei * rate.num + rate.den - 1n) / rate.den
  }

  /**
   * Exact USD value in micro-dollars (6 decimals, truncated toward zero), for the original's
   * 6-dp "usdc" strings: a USD stablecoin counts 1:1, others go through WETH at this block's
   * anchor quotes. null when no USD numeraire can be reached.
   */
  usdMicro(amount: bigint, token: Token): bigint | null {
    const micro = (value: bigint, decimals: number) => (decimals >= 6 ? value / 10n ** BigInt(decimals - 6) : value * 10n ** BigInt(6 - decimals))
    if (token.usd) return micro(amount, token.decimals)
    const path = this.toStable(token)
    return path && micro((amount * path.rate.num) / path.rate.den, path.stable.decimals)
  }

  /**
   * The rate from `token` units to micro-USD at this block (a stablecoin 1:1, others through
   * WETH): what a trade keeps so its realized figures can be valued after the cycle is gone.
   */
  usdMicroRate(token: Token): Rate | null {
    const scale = (decimals: number): Rate => (decimals >= 6 ? { num: 1n, den: 10n ** BigInt(decimals - 6) } : { num: 10n ** BigInt(6 - decimals), den: 1n })
    if (token.usd) return scale(token.decimals)
    const path = this.toStable(token)
    if (!path) return null
    const s = scale(path.stable.decimals)
    return { num: path.rate.num * s.num, den: path.rate.den * s.den }
  }

  /** USD value for display: a USD stablecoin counts 1:1, others go through WETH. */
  usd(amount: bigint, token: Token): number | null {
    if (token.usd) return Number(amount) / 10 ** token.decimals
    const path = this.toStable(token)
    return path && Number((amount * path.rate.num) / path.rate.den) / 10 ** path.stable.decimals
  }

  /** From `token` to the first USD stablecoin WETH reaches at this block, through WETH: the stable and the combined rate. */
  private toStable(token: Token): { stable: Token; rate: Rate } | null {
    if (!this.stables.has(token)) this.stables.set(token, this.findStable(token))
    return this.stables.get(token)!
  }

  private findStable(token: Token): { stable: Token; rate: Rate } | null {
    const weth = this.config.tokens.get('WETH')!
    const stable = [...this.config.tokens.values()].find((t) => t.usd && this.rate(weth, t))
    if (!stable) return null
    const toWeth = this.rate(token, weth)
    const toUsd = this.rate(weth, stable)
    if (!toWeth || !toUsd) return null
    return { stable, rate: { num: toWeth.num * toUsd.num, den: toWeth.den * toUsd.den } }
  }
}
