import { MAX_UINT256 } from './constants.ts'

/** FullMath.mulDiv: floor(a × b / denominator), reverting where Solidity would. */
export function mulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error('MULDIV_ZERO_DENOMINATOR')
  const result = (a * b) / denominator
  if (result > MAX_UINT256) throw new Error('MULDIV_OVERFLOW')
  return result
}

/** FullMath.mulDivRoundingUp: ceil(a × b / denominator). */
export function mulDivRoundingUp(a: bigint, b: bigint, denominator: bigint): bigint {
  const result = mulDiv(a, b, denominator)
  if ((a * b) % denominator > 0n) {
    if (result === MAX_UINT256) throw new Error('MULDIV_OVERFLOW')
    return result + 1n
  }
  return result
}

/** UnsafeMath.divRoundingUp: ceil(x / y) (y > 0). */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  return x / y + (x % y > 0n ? 1n : 0n)
}
