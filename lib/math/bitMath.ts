/** 2^i for i in 0..255. */
const POW2 = Array.from({ length: 256 }, (_, i) => 1n << BigInt(i))
const UINT256_END = 1n << 256n

/**
 * BitMath.mostSignificantBit: index of the highest set bit (x > 0). A binary search by
 * comparison with the powers of two: eight compares and no BigInt made (a shift or a hex
 * string allocates; this is on every tick step of every local quote).
 */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  if (x >= UINT256_END) throw new Error('BITMATH_OVERFLOW')
  let low = 0
  let high = 255
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (x >= POW2[middle]!) low = middle
    else high = middle - 1
  }
  return low
}

/** BitMath.leastSignificantBit: index of the lowest set bit (x > 0). */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  return mostSignificantBit(x & -x)
}
