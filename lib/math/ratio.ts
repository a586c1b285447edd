/** Integer helpers for comparing prices without floats (prices are amount ratios). */

/**
 * Relative difference of two prices `aNum/aDen` and `bNum/bDen`, (a - b) / b, in basis
 * points as a float (a display ratio, never money). Exact up to the final division.
 */
export function priceDiffBps(aNum: bigint, aDen: bigint, bNum: bigint, bDen: bigint): number {
  const scaled = ((aNum * bDen - bNum * aDen) * 10_000_000_000n) / (bNum * aDen)
  return Number(scaled) / 1_000_000
}

/** amount / 10^decimals as a display string with up to `digits` fractional digits. */
export function formatUnitsFixed(amount: bigint, decimals: number, digits = 6): string {
  const negative = amount < 0n
  const abs = negative ? -amount : amount
  const unit = 10n ** BigInt(decimals)
  const whole = abs / unit
  let fraction = (abs % unit).toString().padStart(decimals, '0').slice(0, digits).replace(/0+$/, '')
  if (digits === 0) fraction = ''
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** Price of `base` in `quote` units per whole base token, as a display string. */
export function formatPrice(quoteAmount: bigint, baseAmount: bigint, baseDecimals: number, quoteDecimals: number): string {
  const perWhole = (quoteAmount * 10n ** BigInt(baseDecimals) * 10n ** 6n) / baseAmount
  return formatUnitsFixed(perWhole, quoteDecimals + 6, Math.max(quoteDecimals, 6))
}

/** amount / 10^decimals with exactly `places` fractional digits, truncated toward zero ("2995.505991"). */
export function toFixedPlaces(amount: bigint, decimals: number, places: number): string {
  const negative = amount < 0n
  const abs = negative ? -amount : amount
  const scaled = places >= decimals ? abs * 10n ** BigInt(places - decimals) : abs / 10n ** BigInt(decimals - places)
  const unit = 10n ** BigInt(places)
  const whole = scaled / unit
  const fraction = places === 0 ? '' : `.${(scaled % unit).toString().padStart(places, '0')}`
  return `${negative && scaled !== 0n ? '-' : ''}${whole}${fraction}`
}

/** num/den × 10^4 (basis points) as a string with `places` decimals, truncated toward zero. */
export function bpsString(num: bigint, den: bigint, places = 2): string {
  if (den === 0n) return toFixedPlaces(0n, 0, places)
  return toFixedPlaces((num * 10_000n * 10n ** BigInt(places)) / den, places, places)
}
