import { describe, expect, test } from 'bun:test'
import { leastSignificantBit, mostSignificantBit } from '../../lib/math/bitMath.ts'
import { clSwap, sortedTickSteps, type ClPoolState } from '../../lib/math/clSwap.ts'
import { MAX_UINT128, MAX_UINT256, Q96 } from '../../lib/math/constants.ts'
import { divRoundingUp, mulDiv, mulDivRoundingUp } from '../../lib/math/fullMath.ts'
import { addDelta } from '../../lib/math/liquidityMath.ts'
import { bpsString, formatPrice, formatUnitsFixed, priceDiffBps, toFixedPlaces } from '../../lib/math/ratio.ts'
import { encodeSqrtPriceX96, isqrt } from '../../lib/math/sqrt.ts'
import { getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput, getNextSqrtPriceFromOutput } from '../../lib/math/sqrtPriceMath.ts'
import { computeSwapStep } from '../../lib/math/swapMath.ts'
import { nextInitializedTickWithinOneWord, position, TickDataMissing, type TickBitmap } from '../../lib/math/tickBitmap.ts'
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '../../lib/math/tickMath.ts'
import { getAmountIn, getAmountOut } from '../../lib/math/v2.ts'
import { v3Swap, type V3PoolState } from '../../lib/math/v3Swap.ts'
import { logUniform, mulberry32 } from '../helpers/random.ts'

const random = mulberry32(4242)

describe('BitMath, FullMath, LiquidityMath, sqrt', () => {
  test('behavior: most/least significant bit of every power of two and of mixed words', () => {
    for (let i = 0; i < 256; i++) {
      expect(mostSignificantBit(1n << BigInt(i))).toBe(i)
      expect(leastSignificantBit(1n << BigInt(i))).toBe(i)
    }
    for (let i = 0; i < 200; i++) {
      const x = logUniform(random, MAX_UINT256)
      expect(mostSignificantBit(x)).toBe(x.toString(2).length - 1)
      expect(leastSignificantBit(x)).toBe(x.toString(2).length - 1 - x.toString(2).lastIndexOf('1'))
    }
    expect(leastSignificantBit(0b1011000n)).toBe(3)
    expect(mostSignificantBit(MAX_UINT256)).toBe(255)
    expect(() => mostSignificantBit(0n)).toThrow('BITMATH_ZERO')
    expect(() => leastSignificantBit(0n)).toThrow('BITMATH_ZERO')
  })

  test('behavior: mulDiv floors, mulDivRoundingUp ceils, both revert like Solidity', () => {
    for (let i = 0; i < 300; i++) {
      const [a, b, d] = [logUniform(random, MAX_UINT128), logUniform(random, MAX_UINT128), logUniform(random, MAX_UINT128)]
      expect(mulDiv(a, b, d)).toBe((a * b) / d)
      expect(mulDivRoundingUp(a, b, d)).toBe((a * b + d - 1n) / d)
      expect(divRoundingUp(a, d)).toBe((a + d - 1n) / d)
    }
    expect(() => mulDiv(1n, 1n, 0n)).toThrow('MULDIV_ZERO_DENOMINATOR')
    expect(() => mulDivRoundingUp(1n, 1n, 0n)).toThrow('MULDIV_ZERO_DENOMINATOR')
    expect(() => mulDiv(MAX_UINT256, 2n, 1n)).toThrow('MULDIV_OVERFLOW')
    expect(() => mulDivRoundingUp(MAX_UINT256, 2n, 1n)).toThrow('MULDIV_OVERFLOW')
    expect(mulDiv(MAX_UINT256, MAX_UINT256, MAX_UINT256)).toBe(MAX_UINT256)
    // Rounding up past uint256 reverts too.
    expect(() => mulDivRoundingUp(MAX_UINT256, MAX_UINT256 - 1n, MAX_UINT256 - 2n)).toThrow('MULDIV_OVERFLOW')
    expect(mulDivRoundingUp(MAX_UINT256, 1n, 1n)).toBe(MAX_UINT256)
  })

  test('behavior: addDelta adds a signed delta within uint128, LS below zero, LA above', () => {
    expect(addDelta(10n, -10n)).toBe(0n)
    expect(addDelta(10n, 5n)).toBe(15n)
    expect(addDelta(MAX_UINT128 - 1n, 1n)).toBe(MAX_UINT128)
    expect(() => addDelta(10n, -11n)).toThrow('LS')
    expect(() => addDelta(MAX_UINT128, 1n)).toThrow('LA')
  })

  test('behavior: isqrt is the floor square root of anything up to 2^256 (and beyond a double\'s range); encodeSqrtPriceX96 of a ratio', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 30n, (1n << 255n) - 1n, MAX_UINT256, 3n << 2000n, (1n << 2048n) - 1n]) {
      const r = isqrt(n)
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true)
    }
    for (let i = 0; i < 300; i++) {
      const n = logUniform(random, MAX_UINT256)
      const r = isqrt(n)
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true)
    }
    expect(() => isqrt(-1n)).toThrow('SQRT_NEGATIVE')
    expect(encodeSqrtPriceX96(1n, 1n)).toBe(Q96)
    expect(encodeSqrtPriceX96(4n, 1n)).toBe(2n * Q96)
    expect(encodeSqrtPriceX96(1n, 4n)).toBe(Q96 / 2n)
  })
})

describe('display ratios (never money)', () => {
  test.each([
    [1_234_567n, 6, 6, '1.234567'],
    [1_234_567n, 6, 2, '1.23'],
    [1_200_000n, 6, 6, '1.2'],
    [1_000_000n, 6, 6, '1'],
    [-1_500_000n, 6, 6, '-1.5'],
    [5n, 6, 6, '0.000005'],
    [5n, 6, 3, '0'],
    [1_234_567n, 6, 0, '1'],
    [123n, 0, 6, '123'],
  ])('behavior: formatUnitsFixed(%p, %p decimals, %p digits) = %p', (amount, decimals, digits, expected) => {
    expect(formatUnitsFixed(amount, decimals, digits)).toBe(expected)
  })

  test('behavior: prices per whole base token and their relative difference in bps', () => {
    expect(formatPrice(3_000_500_000n, 10n ** 18n, 18, 6)).toBe('3000.5')
    expect(formatPrice(300_050_000n, 10n ** 17n, 18, 6)).toBe('3000.5')
    expect(formatPrice(25n * 10n ** 13n, 10n ** 18n, 18, 18)).toBe('0.00025')
    expect(priceDiffBps(101n, 1n, 100n, 1n)).toBe(100)
    expect(priceDiffBps(99n, 1n, 100n, 1n)).toBe(-100)
    expect(priceDiffBps(3300n, 1n, 3000n, 1n)).toBe(1000)
    expect(priceDiffBps(1n, 3n, 1n, 3n)).toBe(0)
    // Exact to 1e-6 bps before the float.
    expect(priceDiffBps(1_000_001n, 1_000_000n, 1n, 1n)).toBe(0.01)
  })
})

describe('SqrtPriceMath', () => {
  /** Solidity's two-division form, independently: ceil or floor at each step. */
  function amount0Reference(a: bigint, b: bigint, liquidity: bigint, roundUp: boolean): bigint {
    const [lo, hi] = a < b ? [a, b] : [b, a]
    const numerator1 = liquidity << 96n
    const numerator2 = hi - lo
    if (roundUp) {
      const inner = (numerator1 * numerator2 + hi - 1n) / hi
      return (inner + lo - 1n) / lo
    }
    return (numerator1 * numerator2) / hi / lo
  }

  test('behavior: amount deltas equal Solidity\'s nested divisions, in either argument order, rounded as asked', () => {
    for (let i = 0; i < 400; i++) {
      const a = MIN_SQRT_RATIO + logUniform(random, MAX_SQRT_RATIO - MIN_SQRT_RATIO - 1n)
      const b = MIN_SQRT_RATIO + logUniform(random, MAX_SQRT_RATIO - MIN_SQRT_RATIO - 1n)
      const liquidity = logUniform(random, MAX_UINT128)
      for (const roundUp of [true, false]) {
        expect(getAmount0Delta(a, b, liquidity, roundUp)).toBe(amount0Reference(a, b, liquidity, roundUp))
        expect(getAmount0Delta(b, a, liquidity, roundUp)).toBe(amount0Reference(a, b, liquidity, roundUp))
        const diff = a > b ? a - b : b - a
        expect(getAmount1Delta(a, b, liquidity, roundUp)).toBe(roundUp ? (liquidity * diff + Q96 - 1n) / Q96 : (liquidity * diff) / Q96)
        expect(getAmount1Delta(b, a, liquidity, roundUp)).toBe(getAmount1Delta(a, b, liquidity, roundUp))
      }
    }
    expect(() => getAmount0Delta(0n, Q96, 1n, true)).toThrow('SQRT_PRICE_ZERO')
  })

  test('behavior: next price from an input or output moves the right way and by the right amount', () => {
    const price = encodeSqrtPriceX96(1n, 1n)
    const liquidity = 10n ** 18n
    const down = getNextSqrtPriceFromInput(price, liquidity, 10n ** 17n, true)
    const up = getNextSqrtPriceFromInput(price, liquidity, 10n ** 17n, false)
    expect(down < price && up > price).toBe(true)
    // token1 in: price rises by amount/L exactly (floor); token0 in: price = L·p/(L + amount·p) rounded up
    expect(up).toBe(price + ((10n ** 17n) << 96n) / liquidity)
    expect(down).toBe(((liquidity << 96n) * price + (liquidity << 96n) + 10n ** 17n * price - 1n) / ((liquidity << 96n) + 10n ** 17n * price))
    expect(getNextSqrtPriceFromInput(price, liquidity, 0n, true)).toBe(price)
    const outDown = getNextSqrtPriceFromOutput(price, liquidity, 10n ** 17n, true)
    const outUp = getNextSqrtPriceFromOutput(price, liquidity, 10n ** 17n, false)
    expect(outDown < price && outUp > price).toBe(true)
    // Taking more token1 than the range holds, or any token0 beyond it, reverts.
    expect(() => getNextSqrtPriceFromOutput(price, liquidity, liquidity * 2n, true)).toThrow('SQRT_PRICE_AMOUNT1')
    expect(() => getNextSqrtPriceFromOutput(price, liquidity, liquidity * 2n, false)).toThrow('SQRT_PRICE_AMOUNT0')
    expect(() => getNextSqrtPriceFromInput(0n, liquidity, 1n, true)).toThrow('SQRT_PRICE_INPUT')
    expect(() => getNextSqrtPriceFromInput(price, 0n, 1n, true)).toThrow('SQRT_PRICE_INPUT')
    expect(() => getNextSqrtPriceFromOutput(price, 0n, 1n, true)).toThrow('SQRT_PRICE_OUTPUT')
    // An input so large the product overflows 256 bits still prices (the fallback branch).
    expect(getNextSqrtPriceFromInput(price, liquidity, MAX_UINT256 / 2n, true)).toBe(1n)
    expect(() => getNextSqrtPriceFromInput(MAX_SQRT_RATIO, MAX_UINT128, MAX_UINT256 / 2n, false)).toThrow()
  })
})

describe('fixed-point strings (the original\'s 6-dp and 2-dp fields)', () => {
  test.each([
    [2_995_505_991n, 6, 6, '2995.505991'],
    [2_995_505_991n, 6, 2, '2995.50'],
    [-2_995_505_991n, 6, 2, '-2995.50'],
    [-4n, 6, 2, '0.00'],
    [-4n, 6, 6, '-0.000004'],
    [5n, 0, 3, '5.000'],
    [12_345n, 2, 0, '123'],
    [10n ** 18n + 1n, 18, 6, '1.000000'],
    [0n, 6, 6, '0.000000'],
  ] as const)('behavior: toFixedPlaces(%p, %p decimals, %p places) = %p (truncated toward zero, never "-0")', (amount, decimals, places, expected) => {
    expect(toFixedPlaces(amount, decimals, places)).toBe(expected)
  })

  test.each([
    [1n, 3n, 2, '3333.33'],
    [-1n, 3n, 2, '-3333.33'],
    [5n, 10_000n, 2, '5.00'],
    [7n, 100_000_000n, 4, '0.0007'],
    [1n, 0n, 2, '0.00'],
    [1n, 7n, 0, '1428'],
  ] as const)('behavior: bpsString(%p, %p, %p places) = %p', (num, den, places, expected) => {
    expect(bpsString(num, den, places)).toBe(expected)
  })

  test('behavior: display helpers at their edges: negative amounts, 0 digits, unequal denominators', () => {
    expect(formatUnitsFixed(-1_500_000n, 6)).toBe('-1.5')
    expect(formatUnitsFixed(1_999_999n, 6, 0)).toBe('1')
    expect(formatUnitsFixed(1_000_001n, 6, 5)).toBe('1')
    expect(formatPrice(3n, 2n, 0, 0)).toBe('1.5')
    // (3/2 − 4/3) / (4/3) = 12.5%: denominators enter crosswise.
    expect(priceDiffBps(3n, 2n, 4n, 3n)).toBe(1250)
    expect(priceDiffBps(4n, 3n, 3n, 2n)).toBeCloseTo(-1111.111111, 6)
  })
})

describe('SwapMath.computeSwapStep', () => {
  test('behavior: the float shortcut never changes a step whose remaining amount sits within a few percent of the exact amount to the target', () => {
    const r = mulberry32(77)
    for (let i = 0; i < 400; i++) {
      const current = MIN_SQRT_RATIO + logUniform(r, MAX_SQRT_RATIO / 4n)
      const target = MIN_SQRT_RATIO + logUniform(r, MAX_SQRT_RATIO / 4n)
      if (current === target) continue
      const liquidity = 1n + logUniform(r, 10n ** 28n)
      const zeroForOne = current >= target
      const fee = BigInt([0, 500, 3000][i % 3]!)
      let inToTarget: bigint
      let outToTarget: bigint
      try {
        inToTarget = zeroForOne ? getAmount0Delta(target, current, liquidity, true) : getAmount1Delta(current, target, liquidity, true)
        outToTarget = zeroForOne ? getAmount1Delta(target, current, liquidity, false) : getAmount0Delta(current, target, liquidity, false)
      } catch {
        continue
      }
      const grossIn = (inToTarget * 1_000_000n) / (1_000_000n - fee)
      for (const amount of [grossIn - 1n, grossIn, grossIn + 1n, (grossIn * 995n) / 1000n, (grossIn * 1005n) / 1000n, (grossIn * 98n) / 100n, (grossIn * 102n) / 100n]) {
        if (amount <= 0n) continue
        expect(computeSwapStep(current, target, liquidity, amount, fee, true)).toEqual(computeSwapStep(current, target, liquidity, amount, fee, false))
      }
      for (const amount of [outToTarget - 1n, outToTarget, outToTarget + 1n, (outToTarget * 995n) / 1000n, (outToTarget * 1005n) / 1000n, (outToTarget * 98n) / 100n, (outToTarget * 102n) / 100n]) {
        if (amount <= 0n) continue
        expect(computeSwapStep(current, target, liquidity, -amount, fee, true)).toEqual(computeSwapStep(current, target, liquidity, -amount, fee, false))
      }
    }
  })

  test('behavior: the float shortcut and the fee split never change a step\'s result', () => {
    for (let i = 0; i < 1500; i++) {
      const current = MIN_SQRT_RATIO + logUniform(random, MAX_SQRT_RATIO / 4n)
      const target = MIN_SQRT_RATIO + logUniform(random, MAX_SQRT_RATIO / 4n)
      if (current === target) continue
      const liquidity = logUniform(random, 10n ** 30n)
      const remaining = (random() < 0.5 ? 1n : -1n) * logUniform(random, 10n ** 30n)
      const fee = BigInt([0, 100, 500, 3000, 10_000][i % 5]!)
      let exact
      try {
        exact = computeSwapStep(current, target, liquidity, remaining, fee, false, true)
      } catch (error) {
        expect(() => computeSwapStep(current, target, liquidity, remaining, fee, true, true)).toThrow((error as Error).message)
        continue
      }
      expect(computeSwapStep(current, target, liquidity, remaining, fee, true, true)).toEqual(exact)
      const unsplit = computeSwapStep(current, target, liquidity, remaining, fee, true, false)
      expect([unsplit.sqrtRatioNextX96, unsplit.amountOut, unsplit.amountIn + unsplit.feeAmount]).toEqual([exact.sqrtRatioNextX96, exact.amountOut, exact.amountIn + exact.feeAmount])
      // Invariants of the step.
      const zeroForOne = current >= target
      const next = exact.sqrtRatioNextX96
      expect(zeroForOne ? next <= current && next >= target : next >= current && next <= target).toBe(true)
      if (remaining >= 0n) {
        expect(exact.amountIn + exact.feeAmount <= remaining).toBe(true)
        if (next !== target) expect(exact.amountIn + exact.feeAmount).toBe(remaining)
      } else {
        expect(exact.amountOut <= -remaining).toBe(true)
      }
    }
  })

  test('behavior: an exact-input step that reaches its target charges fee = ceil(amountIn × fee / (1e6 − fee))', () => {
    const current = encodeSqrtPriceX96(1n, 1n)
    const target = encodeSqrtPriceX96(101n, 100n)
    const step = computeSwapStep(current, target, 2n * 10n ** 18n, 10n ** 18n, 600n)
    expect(step.sqrtRatioNextX96).toBe(target)
    expect(step.amountIn).toBe(getAmount1Delta(current, target, 2n * 10n ** 18n, true))
    expect(step.amountOut).toBe(getAmount0Delta(current, target, 2n * 10n ** 18n, false))
    expect(step.feeAmount).toBe(mulDivRoundingUp(step.amountIn, 600n, 1_000_000n - 600n))
    // Not reaching it: all of the remaining is spent, the fee is what is left after amountIn.
    const short = computeSwapStep(current, target, 2n * 10n ** 18n, 10n ** 15n, 600n)
    expect(short.sqrtRatioNextX96 < target).toBe(true)
    expect(short.amountIn + short.feeAmount).toBe(10n ** 15n)
    // Exact output capped at what is asked.
    const out = computeSwapStep(current, target, 2n * 10n ** 18n, -(10n ** 15n), 600n)
    expect(out.amountOut).toBe(10n ** 15n)
  })
})

describe('TickBitmap', () => {
  // Uniswap's TickBitmap spec layout: ticks 70, 78, 84, 139, 240, 535 and -200, -55, -4 initialized (spacing 1).
  const initialized = [-200, -55, -4, 70, 78, 84, 139, 240, 535]
  const bitmap: TickBitmap = { words: new Map(), minWord: -1, maxWord: 3 }
  for (const tick of initialized) {
    const { wordPos, bitPos } = position(tick)
    bitmap.words.set(wordPos, (bitmap.words.get(wordPos) ?? 0n) | (1n << BigInt(bitPos)))
  }
  const next = (tick: number, lte: boolean) => nextInitializedTickWithinOneWord(bitmap, tick, 1, lte)

  test.each([
    [78, false, 84, true], [77, false, 78, true], [-56, false, -55, true], [255, false, 511, false],
    [-257, false, -200, true], [383, false, 511, false], [508, false, 511, false], [511, false, 535, true],
    [78, true, 78, true], [79, true, 78, true], [258, true, 256, false], [256, true, 256, false],
    [72, true, 70, true], [-256, true, -256, false], [1023, true, 768, false], [900, true, 768, false],
  ])('behavior: next from %p (lte %p) is %p, initialized %p', (tick, lte, expected, isInitialized) => {
    expect(next(tick, lte)).toEqual({ next: expected, initialized: isInitialized })
  })

  test('behavior: spacing compresses ticks (negative ticks round toward −∞)', () => {
    const spaced: TickBitmap = { words: new Map([[-1, 1n << 255n], [0, 1n]]), minWord: -1, maxWord: 0 }
    expect(nextInitializedTickWithinOneWord(spaced, -5, 10, true)).toEqual({ next: -10, initialized: true })
    expect(nextInitializedTickWithinOneWord(spaced, -10, 10, false)).toEqual({ next: 0, initialized: true })
    expect(nextInitializedTickWithinOneWord(spaced, 5, 10, true)).toEqual({ next: 0, initialized: true })
  })

  test('error: a word outside what was read is TickDataMissing, never a guess', () => {
    expect(() => next(1100, false)).toThrow(TickDataMissing)
    expect(() => next(-600, true)).toThrow('TICK_WORD_NOT_LOADED(-3)')
  })
})

describe('the swap loop', () => {
  // One range, [-600, 600], liquidity 1e18, price 1.
  const single = (limitTicks = new Map([[-600, 10n ** 18n], [600, -(10n ** 18n)]])): ClPoolState => ({
    sqrtPriceX96: Q96, tick: 0, liquidity: 10n ** 18n, fee: 3000, steps: sortedTickSteps(limitTicks),
  })

  test('behavior: running past the last range hits the price limit: partial, with the limit as the price', () => {
    const r = clSwap(single(), true, 10n ** 20n)
    expect(r.partial).toBe(true)
    expect(r.sqrtPriceX96After).toBe(MIN_SQRT_RATIO + 1n)
    expect(r.ticksCrossed).toBe(1)
    expect(r.amount0 < 10n ** 20n).toBe(true)
    const small = clSwap(single(), true, 10n ** 15n)
    expect(small.partial).toBe(false)
    expect(small.amount0).toBe(10n ** 15n)
    expect(small.ticksCrossed).toBe(0)
  })

  test('behavior: an explicit limit stops the swap there; a limit on the wrong side is SPL; zero is AS', () => {
    const limit = getSqrtRatioAtTick(-100)
    const r = clSwap(single(), true, 10n ** 20n, limit)
    expect([r.sqrtPriceX96After, r.partial]).toEqual([limit, true])
    expect(() => clSwap(single(), true, 1n, getSqrtRatioAtTick(100))).toThrow('SPL')
    expect(() => clSwap(single(), false, 1n, getSqrtRatioAtTick(-100))).toThrow('SPL')
    expect(() => clSwap(single(), true, 1n, MIN_SQRT_RATIO)).toThrow('SPL')
    expect(() => clSwap(single(), true, 0n)).toThrow('AS')
  })

  test('behavior: a V3 pool and the same liquidity as sorted ticks give the same swap', () => {
    const words = new Map<number, bigint>()
    for (const tick of [-600, 600]) {
      const { wordPos, bitPos } = position(tick / 60)
      words.set(wordPos, (words.get(wordPos) ?? 0n) | (1n << BigInt(bitPos)))
    }
    const v3: V3PoolState = { sqrtPriceX96: Q96, tick: 0, liquidity: 10n ** 18n, fee: 3000, tickSpacing: 60, bitmap: { words, minWord: -1, maxWord: 0 }, liquidityNet: new Map([[-600, 10n ** 18n], [600, -(10n ** 18n)]]) }
    for (const amount of [10n ** 12n, 10n ** 16n, -(10n ** 16n), 3n * 10n ** 16n]) {
      for (const zeroForOne of [true, false]) {
        const a = v3Swap(v3, zeroForOne, amount)
        const b = clSwap(single(), zeroForOne, amount)
        expect([a.amount0, a.amount1, a.sqrtPriceX96After, a.ticksCrossed]).toEqual([b.amount0, b.amount1, b.sqrtPriceX96After, b.ticksCrossed])
      }
    }
    expect(getTickAtSqrtRatio(v3Swap(v3, true, 10n ** 16n).sqrtPriceX96After)).toBeLessThan(0)
  })

  test('error: liquidity of a tick that was not read is never assumed', () => {
    const steps = sortedTickSteps(new Map([[-600, 1n]]))
    expect(() => steps.liquidityNet(600)).toThrow('TICK_NOT_LOADED(600)')
    expect(steps.next(-600, true)).toEqual({ next: -600, initialized: true })
    expect(steps.next(-601, true)).toEqual({ next: -887_272, initialized: false })
    expect(steps.next(0, false)).toEqual({ next: 887_272, initialized: false })
  })
})

describe('V2', () => {
  test('error: UniswapV2Library\'s reverts', () => {
    expect(() => getAmountOut(0n, 1n, 1n)).toThrow('INSUFFICIENT_INPUT_AMOUNT')
    expect(() => getAmountOut(1n, 0n, 1n)).toThrow('INSUFFICIENT_LIQUIDITY')
    expect(() => getAmountOut(1n, 1n, 0n)).toThrow('INSUFFICIENT_LIQUIDITY')
    expect(() => getAmountIn(0n, 1n, 1n)).toThrow('INSUFFICIENT_OUTPUT_AMOUNT')
    expect(() => getAmountIn(1n, 0n, 5n)).toThrow('INSUFFICIENT_LIQUIDITY')
    expect(() => getAmountIn(5n, 5n, 5n)).toThrow('ds-math-sub-underflow')
  })

  test('behavior: the fee is a parameter (hundredths of a bip)', () => {
    expect(getAmountOut(1000n, 10n ** 6n, 10n ** 6n, 0n)).toBe((1000n * 10n ** 6n) / (10n ** 6n + 1000n))
    expect(getAmountOut(1000n, 10n ** 6n, 10n ** 6n, 10_000n)).toBe((990_000_000n * 10n ** 6n) / (10n ** 12n + 990_000_000n))
    expect(getAmountIn(1000n, 10n ** 6n, 10n ** 6n, 10_000n)).toBe((10n ** 6n * 1000n * 10n ** 6n) / ((10n ** 6n - 1000n) * 990_000n) + 1n)
  })
})

describe('edges the fuzz against the chain rarely reaches (each pinned to the contracts\' behaviour)', () => {
  const Q97 = Q96 * 2n

  test('behavior: amounts that divide exactly are not rounded up (price 1 → 2: token0 L/2, token1 L)', () => {
    expect([getAmount0Delta(Q96, Q97, 2n, true), getAmount0Delta(Q96, Q97, 2n, false)]).toEqual([1n, 1n])
    expect([getAmount0Delta(Q96, Q97, 3n, true), getAmount0Delta(Q96, Q97, 3n, false)]).toEqual([2n, 1n])
    expect([getAmount1Delta(Q96, Q97, 3n, true), getAmount1Delta(Q97, Q96, 3n, false)]).toEqual([3n, 3n])
  })

  test('behavior: isqrt is the floor root at and around perfect squares, small and huge', () => {
    for (const k of [2n, 3n, 10n, 99_999n, 2n ** 53n + 1n, 10n ** 20n, 2n ** 100n + 7n, 2n ** 127n - 1n]) {
      expect([isqrt(k * k - 1n), isqrt(k * k), isqrt(k * k + 2n * k)]).toEqual([k - 1n, k, k])
    }
  })

  test('error: FullMath.mulDivRoundingUp reverts when rounding up would pass 2^256 − 1', () => {
    // (2^129 − 1)(2^129 + 1) / 4 = 2^256 − 1 remainder 3.
    expect(mulDiv(2n ** 129n - 1n, 2n ** 129n + 1n, 4n)).toBe(MAX_UINT256)
    expect(() => mulDivRoundingUp(2n ** 129n - 1n, 2n ** 129n + 1n, 4n)).toThrow('MULDIV_OVERFLOW')
  })

  test('error: a price limit at the current price or at the ratio bounds is SPL, both directions', () => {
    const pool: ClPoolState = { sqrtPriceX96: Q96, tick: 0, liquidity: 10n ** 18n, fee: 3000, steps: sortedTickSteps(new Map([[-600, 10n ** 18n], [600, -(10n ** 18n)]])) }
    expect(() => clSwap(pool, true, 1n, Q96)).toThrow('SPL')
    expect(() => clSwap(pool, false, 1n, Q96)).toThrow('SPL')
    expect(() => clSwap(pool, false, 1n, MAX_SQRT_RATIO)).toThrow('SPL')
    expect(() => clSwap(pool, true, 1n, MIN_SQRT_RATIO)).toThrow('SPL')
    expect(clSwap(pool, false, 1000n, MAX_SQRT_RATIO - 1n).partial).toBe(false)
    expect(clSwap(pool, true, 1000n, MIN_SQRT_RATIO + 1n).partial).toBe(false)
  })

  test('behavior: a V3 swap that runs off the last bitmap word stops at MAX/MIN_TICK (the step is clamped) and reports what it took', () => {
    // One full-range position at tick spacing 1; every bitmap word read, no tick initialized inside.
    const full = (tick: number): V3PoolState => ({
      sqrtPriceX96: getSqrtRatioAtTick(tick), tick, liquidity: 10n ** 18n, fee: 500, tickSpacing: 1,
      bitmap: { words: new Map(), minWord: position(-887_272).wordPos, maxWord: position(887_272).wordPos }, liquidityNet: new Map(),
    })
    const up = v3Swap(full(887_000), false, 10n ** 40n)
    expect([up.partial, up.sqrtPriceX96After]).toEqual([true, MAX_SQRT_RATIO - 1n])
    // Exact input, not filled: the input taken is what was specified less what remained.
    expect(up.amount1 > 0n && up.amount1 < 10n ** 40n).toBe(true)
    // (each word edge is a step of its own, rounded on its own: within a few wei of one range's amount)
    const oneRange = getAmount1Delta(getSqrtRatioAtTick(887_000), MAX_SQRT_RATIO - 1n, 10n ** 18n, true)
    const withFee = oneRange + mulDivRoundingUp(oneRange, 500n, 1_000_000n - 500n)
    expect(up.amount1 >= withFee && up.amount1 <= withFee + 8n).toBe(true)
    const down = v3Swap(full(-887_000), true, 10n ** 40n)
    expect([down.partial, down.sqrtPriceX96After]).toEqual([true, MIN_SQRT_RATIO + 1n])
    expect(down.amount0 > 0n && down.amount0 < 10n ** 40n).toBe(true)
  })

  test('behavior: Algebra-style steps sort ticks given in any order', () => {
    const steps = sortedTickSteps(new Map([[600, -5n], [-600, 5n], [60, 1n], [-60, -1n]]))
    expect([steps.next(0, true), steps.next(0, false), steps.next(-61, true), steps.next(60, false)]).toEqual([
      { next: -60, initialized: true }, { next: 60, initialized: true }, { next: -600, initialized: true }, { next: 600, initialized: true },
    ])
  })

  test('error: a V3 step onto an initialized tick whose liquidity was not read is TICK_NOT_LOADED', () => {
    const { wordPos, bitPos } = position(60)
    const pool: V3PoolState = { sqrtPriceX96: Q96, tick: 0, liquidity: 10n ** 18n, fee: 500, tickSpacing: 1, bitmap: { words: new Map([[wordPos, 1n << BigInt(bitPos)]]), minWord: -1, maxWord: 0 }, liquidityNet: new Map() }
    expect(() => v3Swap(pool, false, 10n ** 18n)).toThrow('TICK_NOT_LOADED(60)')
  })

  test('behavior: an exact-input step short of its target, unsplit, spends all as amountIn with no fee', () => {
    const step = computeSwapStep(Q96, Q97, 10n ** 18n, 10n ** 12n, 3000n, true, false)
    expect(step.sqrtRatioNextX96 < Q97).toBe(true)
    expect([step.amountIn, step.feeAmount]).toEqual([10n ** 12n, 0n])
    // Split, the same total: the fee is what is left after amountIn.
    const split = computeSwapStep(Q96, Q97, 10n ** 18n, 10n ** 12n, 3000n, true, true)
    expect([split.sqrtRatioNextX96, split.amountIn + split.feeAmount, split.feeAmount > 0n]).toEqual([step.sqrtRatioNextX96, 10n ** 12n, true])
  })

  test('error: V2 getAmountIn with an empty reserve is INSUFFICIENT_LIQUIDITY; TickMath refuses prices outside its bounds', () => {
    expect(() => getAmountIn(1n, 100n, 0n)).toThrow('INSUFFICIENT_LIQUIDITY')
    expect(() => getAmountIn(1n, 0n, 100n)).toThrow('INSUFFICIENT_LIQUIDITY')
    expect(() => getTickAtSqrtRatio(MIN_SQRT_RATIO - 1n)).toThrow('R')
    expect(() => getTickAtSqrtRatio(MAX_SQRT_RATIO)).toThrow('R')
    expect(getTickAtSqrtRatio(MAX_SQRT_RATIO - 1n)).toBe(887_271)
    expect(getTickAtSqrtRatio(MIN_SQRT_RATIO)).toBe(-887_272)
  })

  test('behavior: zero formats as "0", never "-0"', () => {
    expect([formatUnitsFixed(0n, 6), formatUnitsFixed(0n, 18, 2), toFixedPlaces(0n, 6, 2), bpsString(0n, 7n)]).toEqual(['0', '0', '0.00', '0.00'])
  })
})
