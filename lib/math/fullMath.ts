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
  if (denominator === 0n) throw new Error('MULDIV_ZERO_DENOMINATOR')
  const product = a * b
  const result = product / denominator
  if (result > MAX_UINT256) throw new Error('MULDIV_OVERFLOW')
  if (result * denominator !== product) {
    if (result === MAX_UINT256) throw new Error('MULDIV_OVERFLOW')
    return result + 1n
  }
  return result
}

/** UnsafeMath.divRoundingUp: ceil(x / y) (y > 0). */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  const q = x / y
  return q * y === x ? q : q + 1n
}
