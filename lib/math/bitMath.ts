/** BitMath.mostSignificantBit: index of the highest set bit (x > 0). */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  return x.toString(2).length - 1
}

/** BitMath.leastSignificantBit: index of the lowest set bit (x > 0). */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  return mostSignificantBit(x & -x)
}
