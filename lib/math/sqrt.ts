/**
 * Floor integer square root: Newton's method from just above the root (the float root plus its
 * possible error), falling until it stops — no square computed to check.
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error('SQRT_NEGATIVE')
  if (n < 2n) return n
  const guess = Math.sqrt(Number(n))
  // A double's root is off by less than 2^-50 of itself (+1 for the floor); beyond doubles, a power of two above.
  let x = Number.isFinite(guess) ? BigInt(Math.floor(guess)) : 1n << BigInt((n.toString(16).length * 4) / 2 + 1)
  x += (x >> 48n) + 2n
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** 2^96-scaled square root of the price `token1 per token0` = num/den (raw units). */
export function encodeSqrtPriceX96(num: bigint, den: bigint): bigint {
  return isqrt((num << 192n) / den)
}
