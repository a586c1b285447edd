import { describe, expect, test } from 'bun:test'
import { clSwap, resumeSwap, sortedTickSteps, type ClPoolState, type ClSwapResult } from '../../lib/math/clSwap.ts'
import { getSqrtRatioAtTick, MAX_TICK, MIN_TICK } from '../../lib/math/tickMath.ts'
import { logUniform, mulberry32, randomInt } from '../helpers/random.ts'

/** A pool at a random price with a full-range position and a few dozen narrow ones around it (many initialized ticks). */
function randomPool(random: () => number): ClPoolState {
  const spacing = [1, 10, 60][randomInt(random, 0, 2)]!
  const tick = randomInt(random, -50_000, 50_000)
  const base = logUniform(random, 10n ** 24n) + 10n ** 6n
  const net = new Map<number, bigint>([[MIN_TICK, base], [MAX_TICK, -base]])
  let liquidity = base
  for (let i = 0; i < 40; i++) {
    const lower = Math.floor((tick + randomInt(random, -3_000, 2_900)) / spacing) * spacing
    const upper = lower + spacing * randomInt(random, 1, 40)
    const amount = logUniform(random, base * 3n)
    net.set(lower, (net.get(lower) ?? 0n) + amount)
    net.set(upper, (net.get(upper) ?? 0n) - amount)
    if (lower <= tick && tick < upper) liquidity += amount
  }
  for (const [at, value] of net) if (value === 0n) net.delete(at)
  // A price inside the current tick, not on its boundary.
  const sqrtPriceX96 = (getSqrtRatioAtTick(tick) + getSqrtRatioAtTick(tick + 1)) / 2n
  return { sqrtPriceX96, tick, liquidity, fee: [100, 500, 3000, 10000][randomInt(random, 0, 3)]!, steps: sortedTickSteps(net) }
}

const figures = (r: ClSwapResult) => ({ amount0: r.amount0, amount1: r.amount1, sqrtPriceX96After: r.sqrtPriceX96After, ticksCrossed: r.ticksCrossed, partial: r.partial })

describe('a swap priced again from its last step (route sizing\'s probes)', () => {
  test('behavior: for sizes near a swap\'s (±1 unit, ±1/16,384, ±1/1,000, half, double), both ways, exact in and out: the very amounts, price and ticks of the full swap, or null when the size leaves the step', () => {
    const random = mulberry32(20261127)
    let [resumed, declined, crossing] = [0, 0, 0]
    for (let i = 0; i < 400; i++) {
      const pool = randomPool(random)
      const zeroForOne = random() < 0.5
      const exactIn = random() < 0.5
      const size = logUniform(random, pool.liquidity * 4n) + 1n
      const full = clSwap(pool, zeroForOne, exactIn ? size : -size, 0n, true)
      if (full.partial) continue
      if (full.ticksCrossed > 0) crossing++
      const last = full.lastStep!
      for (const near of [size + 1n, size - 1n, size + size / 16_384n, size - size / 16_384n, size + size / 1000n, size - size / 1000n, size / 2n, size * 2n]) {
        if (near <= 0n) continue
        const amount = exactIn ? near : -near
        const again = resumeSwap(last, amount)
        if (again === null) {
          declined++
          continue
        }
        resumed++
        expect(figures(again)).toEqual(figures(clSwap(pool, zeroForOne, amount)))
      }
      // The other kind of swap (exact in against exact out) is never priced from it.
      expect(resumeSwap(last, exactIn ? -size : size)).toBeNull()
    }
    // Most sizes this near end in the same step; half and double often do not.
    expect(resumed).toBeGreaterThan(declined)
    expect(declined).toBeGreaterThan(100)
    expect(crossing).toBeGreaterThan(50)
  })
})
