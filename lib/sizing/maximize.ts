/**
 * Maximises an integer function that is unimodal on [lo, hi] (arbitrage gross profit
 * is concave in size for constant-product and concentrated-liquidity pools) by
 * golden-section search — one new evaluation per step, the other interior point carried
 * over — to a bracket of 64 integers or a millionth of the size, whichever is wider, then
 * an exact scan of a small bracket (a wide one keeps the best point seen: near the top the
 * profit is flat, a millionth of the size off costs ~1e-12 of it). `null` means infeasible
 * (the pool cannot fill that size) and counts as minus infinity.
 */
export function maximize(f: (x: bigint) => bigint | null, lo: bigint, hi: bigint): { x: bigint; value: bigint; evaluations: number } | null {
  if (hi < lo) return null
  let evaluations = 0
  const cache = new Map<bigint, bigint | null>()
  const at = (x: bigint): bigint | null => {
    if (!cache.has(x)) {
      evaluations++
      cache.set(x, f(x))
    }
    return cache.get(x)!
  }
  const better = (a: bigint | null, b: bigint | null) => a !== null && (b === null || a > b)
  const wide = (a: bigint, b: bigint) => b - a > 64n && (b - a) * 1_000_000n > b

  // 0.381966… = 2 − φ, in parts per 1e9: the interior points sit at a + s and b − s.
  const step = (width: bigint) => (width * 381_966_011n) / 1_000_000_000n
  let a = lo
  let b = hi
  if (wide(a, b)) {
    let c = a + step(b - a)
    let d = b - step(b - a)
    while (wide(a, b)) {
      if (better(at(d), at(c))) {
        a = c
        c = d
        d = b - step(b - a)
        if (d <= c) d = c + 1n
      } else {
        b = d
        d = c
        c = a + step(b - a)
        if (c >= d) c = d - 1n
      }
    }
  }
  const candidates = b - a <= 64n ? Array.from({ length: Number(b - a) + 1 }, (_, i) => a + BigInt(i)) : [...cache.keys()].filter((x) => x >= a && x <= b)
  let best: { x: bigint; value: bigint } | null = null
  for (const x of candidates) {
    const value = at(x)
    if (value !== null && (best === null || value > best.value)) best = { x, value }
  }
  return best && { ...best, evaluations }
}
