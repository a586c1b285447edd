import { MAX_UINT160, MAX_UINT256, Q96 } from './constants.ts'
import { divRoundingUp, mulDiv, mulDivRoundingUp } from './fullMath.ts'

function toUint160(x: bigint): bigint {
  if (x > MAX_UINT160) throw new Error('UINT160_OVERFLOW')
  return x
}

/** SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp, with uint256 wrap checks as in Solidity. */
export function getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  if (amount === 0n) return sqrtPX96
  const numerator1 = liquidity << 96n
  // Solidity's uint256 wrap checks, without computing the wrap: `product / amount == sqrtPX96`
  // holds exactly when amount × sqrtPX96 fits 256 bits; `denominator >= numerator1` when the sum does.
  const product = amount * sqrtPX96
  const noOverflow = product <= MAX_UINT256
  if (add) {
    if (noOverflow) {
      const denominator = numerator1 + product
      if (denominator <= MAX_UINT256) return mulDivRoundingUp(numerator1, sqrtPX96, denominator)
    }
    return divRoundingUp(numerator1, numerator1 / sqrtPX96 + amount)
  }
  if (!noOverflow || numerator1 <= product) throw new Error('SQRT_PRICE_AMOUNT0')
  return toUint160(mulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product))
}

/** SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown. */
export function getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96: bigint, liquidity: bigint, amount: bigint, add: boolean): bigint {
  if (add) {
    const quotient = amount <= MAX_UINT160 ? (amount << 96n) / liquidity : mulDiv(amount, Q96, liquidity)
    return toUint160(sqrtPX96 + quotient)
  }
  const quotient = amount <= MAX_UINT160 ? divRoundingUp(amount << 96n, liquidity) : mulDivRoundingUp(amount, Q96, liquidity)
  if (sqrtPX96 <= quotient) throw new Error('SQRT_PRICE_AMOUNT1')
  return sqrtPX96 - quotient
}

export function getNextSqrtPriceFromInput(sqrtPX96: bigint, liquidity: bigint, amountIn: bigint, zeroForOne: boolean): bigint {
  if (sqrtPX96 <= 0n || liquidity <= 0n) throw new Error('SQRT_PRICE_INPUT')
  return zeroForOne
    ? getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
    : getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true)
}

export function getNextSqrtPriceFromOutput(sqrtPX96: bigint, liquidity: bigint, amountOut: bigint, zeroForOne: boolean): bigint {
  if (sqrtPX96 <= 0n || liquidity <= 0n) throw new Error('SQRT_PRICE_OUTPUT')
  return zeroForOne
    ? getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
    : getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false)
}

/**
 * SqrtPriceMath.getAmount0Delta: token0 between two prices for `liquidity`. Solidity divides
 * twice (by b, then by a, each rounded the same way); nested floors or ceilings of positive
 * integers equal one division by a·b, so one division does (and mulDiv's intermediate,
 * < liquidity·2^96, can never overflow, so no revert is lost).
 */
export function getAmount0Delta(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  // Sorted without an array: this runs once or twice per swap step.
  const a = sqrtRatioAX96 > sqrtRatioBX96 ? sqrtRatioBX96 : sqrtRatioAX96
  const b = sqrtRatioAX96 > sqrtRatioBX96 ? sqrtRatioAX96 : sqrtRatioBX96
  if (a <= 0n) throw new Error('SQRT_PRICE_ZERO')
  const numerator = (liquidity << 96n) * (b - a)
  const denominator = a * b
  const quotient = numerator / denominator
  return roundUp && quotient * denominator !== numerator ? quotient + 1n : quotient
}

/**
 * SqrtPriceMath.getAmount1Delta: token1 between two prices for `liquidity`. mulDiv by Q96
 * is a shift here (uint128 × uint160 never overflows 256 bits after it).
 */
export function getAmount1Delta(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const product = liquidity * (sqrtRatioAX96 > sqrtRatioBX96 ? sqrtRatioAX96 - sqrtRatioBX96 : sqrtRatioBX96 - sqrtRatioAX96)
  const quotient = product >> 96n
  return roundUp && quotient << 96n !== product ? quotient + 1n : quotient
}
