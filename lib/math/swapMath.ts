import { FEE_DENOMINATOR } from './constants.ts'
import { mulDiv, mulDivRoundingUp } from './fullMath.ts'
import {
  getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput, getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.ts'

const TWO_96 = 2 ** 96

/**
 * A float estimate of the token amount between two prices, used only to skip an exact
 * computation whose result cannot matter (the amount is far beyond what remains).
 * null when the prices are too close for the float difference to be trusted.
 */
function roughDelta(sqrtA: bigint, sqrtB: bigint, liquidity: bigint, token0: boolean): number | null {
  const a = Number(sqrtA < sqrtB ? sqrtA : sqrtB)
  const b = Number(sqrtA < sqrtB ? sqrtB : sqrtA)
  if (b - a < b * 1e-6) return null
  const l = Number(liquidity)
  return token0 ? (l * (b - a) * TWO_96) / (a * b) : (l * (b - a)) / TWO_96
}

/** True when the exact amount to the target is surely (by > 1%) more than `available`. */
function surelyBeyond(rough: number | null, available: bigint): boolean {
  return rough !== null && rough > Number(available) * 1.01 + 1
}

export type SwapStep = { sqrtRatioNextX96: bigint; amountIn: bigint; amountOut: bigint; feeAmount: bigint }

/**
 * SwapMath.computeSwapStep (Uniswap V3): one step within a tick range. amountRemaining > 0
 * is exact input, < 0 exact output; the fee is taken on input, in hundredths of a bip.
 * `precheck` tries the float shortcut first (worth it when the step likely ends short of
 * its target, as a swap's first step usually does); `splitFee` false returns, for an exact-
 * input step short of its target, the spent total as amountIn and 0 fee (same sum).
 */
export function computeSwapStep(sqrtRatioCurrentX96: bigint, sqrtRatioTargetX96: bigint, liquidity: bigint, amountRemaining: bigint, feePips: bigint, precheck = true, splitFee = true): SwapStep {
  const zeroForOne = sqrtRatioCurrentX96 >= sqrtRatioTargetX96
  const exactIn = amountRemaining >= 0n
  let sqrtRatioNextX96: bigint
  let amountIn = 0n
  let amountOut = 0n

  if (exactIn) {
    // The exact input to the target only matters if the remaining amount can reach it.
    const beyond = precheck && surelyBeyond(roughDelta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, zeroForOne), amountRemaining)
    if (!beyond) {
      amountIn = zeroForOne
        ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
        : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true)
    }
    // floor(r·(1e6 − fee)/1e6) >= amountIn  ⇔  r·(1e6 − fee) >= amountIn·1e6 (amountIn is whole).
    sqrtRatioNextX96 = !beyond && amountRemaining * (FEE_DENOMINATOR - feePips) >= amountIn * FEE_DENOMINATOR
      ? sqrtRatioTargetX96
      : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, mulDiv(amountRemaining, FEE_DENOMINATOR - feePips, FEE_DENOMINATOR), zeroForOne)
  } else {
    const beyond = precheck && surelyBeyond(roughDelta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, !zeroForOne), -amountRemaining)
    if (!beyond) {
      amountOut = zeroForOne
        ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
        : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false)
    }
    sqrtRatioNextX96 = !beyond && -amountRemaining >= amountOut
      ? sqrtRatioTargetX96
      : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne)
  }

  const max = sqrtRatioTargetX96 === sqrtRatioNextX96
  // Exact input short of the target spends everything: amountIn + feeAmount = amountRemaining.
  // A caller that only needs that sum (a swap loop) may skip splitting it.
  if (exactIn && !max && !splitFee) {
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false)
    return { sqrtRatioNextX96, amountIn: amountRemaining, amountOut, feeAmount: 0n }
  }
  if (zeroForOne) {
    amountIn = max && exactIn ? amountIn : getAmount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true)
    amountOut = max && !exactIn ? amountOut : getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false)
  } else {
    amountIn = max && exactIn ? amountIn : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true)
    amountOut = max && !exactIn ? amountOut : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false)
  }
  if (!exactIn && amountOut > -amountRemaining) amountOut = -amountRemaining

  const feeAmount = exactIn && sqrtRatioNextX96 !== sqrtRatioTargetX96
    ? amountRemaining - amountIn
    : mulDivRoundingUp(amountIn, feePips, FEE_DENOMINATOR - feePips)
  return { sqrtRatioNextX96, amountIn, amountOut, feeAmount }
}
