export const Q96 = 1n << 96n
export const MAX_UINT128 = (1n << 128n) - 1n
export const MAX_UINT160 = (1n << 160n) - 1n
export const MAX_UINT256 = (1n << 256n) - 1n
/** Fees are in hundredths of a bip: 1e6 = 100%. */
export const FEE_DENOMINATOR = 1_000_000n
