import { FEE_DENOMINATOR } from './constants.ts'

/** UniswapV2Library.getAmountOut with the fee in hundredths of a bip (3000 = 0.3% = 997/1000). */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, fee = 3000n): bigint {
  if (amountIn <= 0n) throw new Error('INSUFFICIENT_INPUT_AMOUNT')
  if (reserveIn <= 0n || reserveOut <= 0n) throw new Error('INSUFFICIENT_LIQUIDITY')
  const amountInWithFee = amountIn * (FEE_DENOMINATOR - fee)
  return (amountInWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + amountInWithFee)
}

/** UniswapV2Library.getAmountIn: the input that buys exactly amountOut (rounded up by +1, as the library does). */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, fee = 3000n): bigint {
  if (amountOut <= 0n) throw new Error('INSUFFICIENT_OUTPUT_AMOUNT')
  if (reserveIn <= 0n || reserveOut <= 0n) throw new Error('INSUFFICIENT_LIQUIDITY')
  if (amountOut >= reserveOut) throw new Error('ds-math-sub-underflow')
  return (reserveIn * amountOut * FEE_DENOMINATOR) / ((reserveOut - amountOut) * (FEE_DENOMINATOR - fee)) + 1n
}
