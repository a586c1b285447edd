import { describe, expect, test } from 'bun:test'
import { clSwap, sortedTickSteps, type ClPoolState } from '../../lib/math/clSwap.ts'
import { encodeSqrtPriceX96 } from '../../lib/math/sqrt.ts'
import { getTickAtSqrtRatio } from '../../lib/math/tickMath.ts'
import { getAmountIn, getAmountOut } from '../../lib/math/v2.ts'
import { maximize } from '../../lib/sizing/maximize.ts'
import { mulberry32, randomInt } from '../helpers/random.ts'

/** Gross profit of buying x base on `buy` (exact output) and selling x on `sell` (exact input). */
type Leg = { sell(x: bigint): bigint | null; buy(x: bigint): bigint | null }

function v2Leg(reserveBase: bigint, reserveQuote: bigint): Leg {
  return {
    sell: (x) => { try { return getAmountOut(x, reserveBase, reserveQuote) } catch { return null } },
    buy: (x) => { try { return getAmountIn(x, reserveQuote, reserveBase) } catch { return null } },
  }
}

/** A small single-range CL pool (token0 = base) priced at quote/base = num/den. */
function clLeg(num: bigint, den: bigint, liquidity: bigint, fee: number): Leg {
  const sqrtPriceX96 = encodeSqrtPriceX96(num, den)
  const pool: ClPoolState = { sqrtPriceX96, tick: getTickAtSqrtRatio(sqrtPriceX96), liquidity, fee, steps: sortedTickSteps(new Map()) }
  return {
    sell: (x) => { try { const r = clSwap(pool, true, x); return r.partial ? null : -r.amount1 } catch { return null } },
    buy: (x) => { try { const r = clSwap(pool, false, -x); return r.partial ? null : r.amount1 } catch { return null } },
  }
}

function profit(buy: Leg, sell: Leg) {
  return (x: bigint) => {
    const cost = buy.buy(x)
    const proceeds = sell.sell(x)
    return cost === null || proceeds === null ? null : proceeds - cost
  }
}

/** The true optimum at 1-unit resolution. */
function bruteForce(f: (x: bigint) => bigint | null, hi: bigint): bigint {
  let best = 0n
  for (let x = 1n; x <= hi; x++) {
    const v = f(x)
    if (v !== null && v > best) best = v
  }
  return best
}

const PRICE = 2_000_000_000n

describe('optimal size', () => {
  test('behavior: golden section reaches >= 99.9% of the 1-unit brute-force optimum (V2-V2, V2-CL, CL-CL)', () => {
    const random = mulberry32(42)
    let cases = 0
    for (let i = 0; i < 24; i++) {
      const base = BigInt(randomInt(random, 5_000, 40_000))
      const spread = 1000 + randomInt(random, 5, 300) // per mille: sell venue priced up to 30% higher
      const kind = i % 3
      // Few base units (so a 1-unit brute force is feasible), each worth ~2e9 quote units (as
      // 1 satoshi of WBTC is worth ~6e5 USDC units): profits are large, rounding noise tiny.
      const cheap = kind === 2 ? clLeg(PRICE, 1n, base * 50_000n, 3000) : v2Leg(base, base * PRICE)
      const rich = kind === 0 ? v2Leg(base, (base * PRICE * BigInt(spread)) / 1000n) : clLeg(PRICE * BigInt(spread), 1000n, base * 60_000n, 500)
      const f = profit(cheap, rich)
      const hi = base - 1n
      const best = bruteForce(f, hi)
      const found = maximize(f, 1n, hi)
      if (best <= 0n) continue
      cases++
      expect(found).not.toBeNull()
      expect(found!.value * 1000n).toBeGreaterThanOrEqual(best * 999n)
      expect(found!.evaluations).toBeLessThan(120)
    }
    expect(cases).toBeGreaterThan(15)
  })

  test('behavior: on whale-sized ranges (1e24 units) it stops at a millionth of the size: within 1e-9 of the optimum found to 8 units, in a quarter of the evaluations', () => {
    // The reference: the same search carried to an 8-unit bracket and scanned exactly.
    const reference = (f: (x: bigint) => bigint | null, lo: bigint, hi: bigint) => {
      let [a, b, evaluations] = [lo, hi, 0]
      const v = (x: bigint) => (evaluations++, f(x) ?? -(2n ** 255n))
      while (b - a > 8n) {
        const s = ((b - a) * 381_966_011n) / 1_000_000_000n
        if (v(b - s) > v(a + s)) a = a + s
        else b = b - s
      }
      let best = -(2n ** 255n)
      for (let x = a; x <= b; x++) best = v(x) > best ? v(x) : best
      return { value: best, evaluations }
    }
    const random = mulberry32(9)
    for (let i = 0; i < 12; i++) {
      const base = 10n ** 24n * BigInt(randomInt(random, 1, 50))
      const spread = 1000 + randomInt(random, 2, 60)
      const f = profit(clLeg(PRICE, 10n ** 9n, base, 500), clLeg(PRICE * BigInt(spread), 10n ** 12n, base * 2n, 3000))
      const exact = reference(f, 1n, base)
      const found = maximize(f, 1n, base)!
      expect(exact.value).toBeGreaterThan(0n)
      expect(found.value * 1_000_000_000n).toBeGreaterThanOrEqual(exact.value * 999_999_999n)
      expect(found.evaluations * 4).toBeLessThan(exact.evaluations)
    }
  })

  test('behavior: no profitable size gives a non-positive best', () => {
    const f = profit(v2Leg(10_000n, 20_000n), v2Leg(10_000n, 20_000n))
    expect(maximize(f, 1n, 9_999n)!.value).toBeLessThanOrEqual(0n)
  })
})

describe('V2-V2 closed form', () => {
  test('behavior: x* within ±2 units matches the 1-unit brute force optimum exactly', async () => {
    const { v2OptimalSize } = await import('../../lib/sizing/v2Closed.ts')
    const random = mulberry32(7)
    let checked = 0
    for (let i = 0; i < 30; i++) {
      const rb = BigInt(randomInt(random, 5_000, 30_000))
      const spread = BigInt(1000 + randomInt(random, 8, 300))
      const buyFee = [3000n, 2500n, 1000n][i % 3]!
      const buy = { reserveBase: rb, reserveQuote: rb * PRICE, fee: buyFee }
      const sell = { reserveBase: rb * 2n, reserveQuote: (rb * 2n * PRICE * spread) / 1000n, fee: 3000n }
      const f = (x: bigint) => {
        try {
          return getAmountOut(x, sell.reserveBase, sell.reserveQuote, sell.fee) - getAmountIn(x, buy.reserveQuote, buy.reserveBase, buy.fee)
        } catch {
          return null
        }
      }
      const best = bruteForce(f, rb - 1n)
      if (best <= 0n) continue
      const x = v2OptimalSize(buy, sell)
      let found = 0n
      for (let d = -2n; d <= 2n; d++) {
        const v = x + d > 0n ? f(x + d) : null
        if (v !== null && v > found) found = v
      }
      expect(found * 1000n).toBeGreaterThanOrEqual(best * 999n)
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  test('behavior: with the roots kept by curve (a pool\'s curve in every route through it: as buy side, as sell side under each buy fee), every size is the one taken afresh', async () => {
    const { v2OptimalSize } = await import('../../lib/sizing/v2Closed.ts')
    const random = mulberry32(11)
    const curves = Array.from({ length: 8 }, (_, i) => {
      const base = BigInt(randomInt(random, 5_000, 30_000)) * 10n ** 15n
      return { reserveBase: base, reserveQuote: (base * PRICE * BigInt(1000 + randomInt(random, 0, 300))) / 1000n, fee: [100n, 500n, 3000n, 10000n][i % 4]! }
    })
    let positive = 0
    // Twice over: the second pass takes every root from what the first kept.
    for (let pass = 0; pass < 2; pass++) {
      for (const buy of curves) for (const sell of curves) {
        if (buy === sell) continue
        const x = v2OptimalSize(buy, sell, true)
        expect(x).toBe(v2OptimalSize(buy, sell))
        if (x > 0n) positive++
      }
    }
    expect(positive).toBeGreaterThan(40)
  })
})
