import { describe, expect, test } from 'bun:test'
import { mulDiv, mulDivRoundingUp } from '../../lib/math/fullMath.ts'
import { getAmountIn, getAmountOut } from '../../lib/math/v2.ts'
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from '../../lib/math/tickMath.ts'

// Known vectors from Uniswap's TickMath tests and v3-sdk.
describe('TickMath', () => {
  test('default: the boundary ticks give MIN/MAX_SQRT_RATIO', () => {
    expect(getSqrtRatioAtTick(MIN_TICK)).toBe(MIN_SQRT_RATIO)
    expect(getSqrtRatioAtTick(MAX_TICK)).toBe(MAX_SQRT_RATIO)
    expect(getSqrtRatioAtTick(0)).toBe(1n << 96n)
  })

  test.each([
    [MIN_TICK + 1, 4295343490n],
    [MAX_TICK - 1, 1461373636630004318706518188784493106690254656249n],
    [-50, 79030349367926598376800521322n],
    [50, 79426470787362580746886972461n],
    [100, 79625275426524748796330556128n],
    [-100, 78833030112140176575862854579n],
  ])('behavior: getSqrtRatioAtTick(%d) = %s', (tick, expected) => {
    expect(getSqrtRatioAtTick(tick)).toBe(expected)
  })

  test('error: ticks out of range throw TICK', () => {
    expect(() => getSqrtRatioAtTick(MIN_TICK - 1)).toThrow('TICK')
    expect(() => getSqrtRatioAtTick(MAX_TICK + 1)).toThrow('TICK')
  })

  test('behavior: getTickAtSqrtRatio is the greatest tick at or below the price', () => {
    expect(getTickAtSqrtRatio(MIN_SQRT_RATIO)).toBe(MIN_TICK)
    expect(getTickAtSqrtRatio(MAX_SQRT_RATIO - 1n)).toBe(MAX_TICK - 1)
    for (const tick of [MIN_TICK + 1, -500_000, -60, -1, 0, 1, 60, 500_000, MAX_TICK - 1]) {
      const ratio = getSqrtRatioAtTick(tick)
      expect(getTickAtSqrtRatio(ratio)).toBe(tick)
      expect(getTickAtSqrtRatio(ratio - 1n)).toBe(tick - 1)
      expect(getTickAtSqrtRatio(ratio + 1n)).toBe(tick)
    }
    expect(() => getTickAtSqrtRatio(MAX_SQRT_RATIO)).toThrow('R')
  })
})

describe('FullMath and V2', () => {
  test('behavior: mulDiv rounds down, mulDivRoundingUp up', () => {
    expect(mulDiv(7n, 3n, 2n)).toBe(10n)
    expect(mulDivRoundingUp(7n, 3n, 2n)).toBe(11n)
    expect(mulDivRoundingUp(6n, 3n, 2n)).toBe(9n)
    expect(() => mulDiv(1n, 1n, 0n)).toThrow()
  })

  test('behavior: V2 amounts as UniswapV2Library computes them', () => {
    // 1 token into a 1000/1000 pool at 0.3%: floor(997 × 1000 / (1000 × 1000 + 997)) in 1e18 units
    expect(getAmountOut(10n ** 18n, 1000n * 10n ** 18n, 1000n * 10n ** 18n)).toBe(996006981039903216n)
    expect(getAmountIn(996006981039903216n, 1000n * 10n ** 18n, 1000n * 10n ** 18n)).toBe(999999999999999999n + 1n)
    expect(() => getAmountIn(1000n, 1000n, 1000n)).toThrow('ds-math-sub-underflow')
  })
})
