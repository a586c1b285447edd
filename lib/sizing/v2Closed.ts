import { FEE_DENOMINATOR } from '../math/constants.ts'
import { isqrt } from '../math/sqrt.ts'

/** A V2 pair seen from the arbitrage: reserves of the base and quote tokens, fee in pips. */
export type V2Side = { reserveBase: bigint; reserveQuote: bigint; fee: bigint }

/**
 * The size x that maximises sell(x) − buy(x) for two constant-product pools, in closed form:
 * buying x base on `buy` costs d·x/(e − x), selling x on `sell` returns a·x/(b + c·x), and
 * f′(x) = 0 gives x* = (√(ab)·e − √(de)·b) / (√(ab) + c·√(de)). Scaled to integers with
 * γ = 1 − fee; the floors of the real pool math are settled by the caller's ± probing.
 * Returns 0 when the prices leave no gap.
 */
export function v2OptimalSize(buy: V2Side, sell: V2Side, keepRoots = false): bigint {
  const gammaSell = FEE_DENOMINATOR - sell.fee
  const gammaBuy = FEE_DENOMINATOR - buy.fee
  // a = γs·Qs, b = 1e6·Bs, c = γs, d = 1e6·Qb/γb, e = Bb. Multiplying numerator and
  // denominator by √(γb·1e6) keeps every root an integer root:
  // √(ab) → √(γs·Qs · 1e6·Bs · γb·1e6) and √(de) → √(1e6·Qb·Bb · 1e6).
  const rootAB = keepRoots ? rootABOf(sell, gammaBuy) : isqrt(gammaSell * sell.reserveQuote * FEE_DENOMINATOR * sell.reserveBase * gammaBuy * FEE_DENOMINATOR)
  const rootDE = keepRoots ? rootDEOf(buy) : isqrt(FEE_DENOMINATOR * buy.reserveQuote * buy.reserveBase * FEE_DENOMINATOR)
  const b = FEE_DENOMINATOR * sell.reserveBase
  const numerator = rootAB * buy.reserveBase - rootDE * b
  if (numerator <= 0n) return 0n
  const x = numerator / (rootAB + gammaSell * rootDE)
  return x < buy.reserveBase ? x : buy.reserveBase - 1n
}

/**
 * A curve's roots, kept by curve object with `keepRoots`: a pool's curve at its state (route
 * sizing keeps one per pool object) starts every route through it, as the sell side under each
 * buy fee and as the buy side.
 */
const roots = new WeakMap<V2Side, { de?: bigint; ab: Map<bigint, bigint> }>()

function rootsOf(curve: V2Side): { de?: bigint; ab: Map<bigint, bigint> } {
  let known = roots.get(curve)
  if (!known) roots.set(curve, known = { ab: new Map() })
  return known
}

function rootABOf(sell: V2Side, gammaBuy: bigint): bigint {
  const known = rootsOf(sell).ab
  let root = known.get(gammaBuy)
  if (root === undefined) known.set(gammaBuy, root = isqrt((FEE_DENOMINATOR - sell.fee) * sell.reserveQuote * FEE_DENOMINATOR * sell.reserveBase * gammaBuy * FEE_DENOMINATOR))
  return root
}

function rootDEOf(buy: V2Side): bigint {
  const known = rootsOf(buy)
  return (known.de ??= isqrt(FEE_DENOMINATOR * buy.reserveQuote * buy.reserveBase * FEE_DENOMINATOR))
}
