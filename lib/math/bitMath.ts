/** BitMath.mostSignificantBit: index of the highest set bit (x > 0). */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  let msb = 0
  for (const bits of [128, 64, 32, 16, 8, 4, 2, 1]) {
    if (x >= 1n << BigInt(bits)) {
      x >>= BigInt(bits)
      msb += bits
    }
  }
  return msb
}

/** BitMath.leastSignificantBit: index of the lowest set bit (x > 0). */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  return mostSignificantBit(x & -x)
}
