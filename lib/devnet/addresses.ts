import type { Address } from 'viem'

/**
 * Arbitrum One's canonical addresses, reproduced on the devnet. Sources: Uniswap's
 * Arbitrum deployment list (V3 core/periphery, QuoterV2), viem (USDC, Multicall3),
 * Sushi's V3 deployment (factory, QuoterV2), token lists (USDT, WBTC, ARB).
 */
export const CANONICAL = {
  WETH: '0x82aF49447D8a07e3bd95BD0d56f35241523fBab1',
  USDC: '0xaf88d065e77c8cC2239327C5EDb3A432268e5831',
  USDT: '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9',
  WBTC: '0x2f2a2543B76A4166549F7aaB2e75Bef0aefC5B0f',
  ARB: '0x912CE59144191C1204E64559FE8253a0e49E6548',
  multicall3: '0xcA11bde05977b3631167028862bE2a173976CA11',
  uniswapV3Factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984',
  uniswapV3QuoterV2: '0x61fFE014bA17989E743c5F6cB21bF9697530B21e',
  uniswapV3SwapRouter: '0xE592427A0AEce92De3Edee1F18E0157C05861564',
  uniswapV3PositionManager: '0xC36442b4a4522E871399CD717aBDD847Ab11FE88',
  sushiV3Factory: '0x1af415a1EbA07a4986a52B6f2e7dE7003D82231e',
  sushiV3QuoterV2: '0x0524E833cCD057e4d7A296e3aaAb9f7675964Ce1',
  uniswapV2Factory: '0xf1D7CC64Fb4452F05c498126312eBE29f30Fbcf9',
  uniswapV2Router02: '0x4752ba5DBc23f44D87826276BF6Fd6b1C372aD24',
} as const satisfies Record<string, Address>

/** The account that deployed Uniswap V3 on Arbitrum; its nonces give the canonical addresses. */
export const UNISWAP_V3_DEPLOYER = '0x6C9FC64A53c1b71FB3f9Af64d1ae3A4931A5f4E9' as const
export const UNISWAP_V3_NONCES = { factory: 0, swapRouter: 4, positionManager: 8 } as const

/** Multicall3's keyless deployer: nonce 0 gives 0xcA11…CA11 on every chain. */
export const MULTICALL3_DEPLOYER = '0x05f32B3cC3888453ff71B01135B34FF8e41263F2' as const

/**
 * Algebra Integral (the Camelot V3 stand-in) cannot sit at Camelot's addresses: no npm
 * Algebra build hashes to Camelot's pool init code. It is deployed by this devnet-only
 * account at fixed nonces, so its addresses are stable across every seed.
 */
export const ALGEBRA_DEPLOYER = '0x000000000000000000000000000000000a16eb7a' as const

/** Init code hashes, for CREATE2 pool addresses. */
export const INIT_CODE_HASH = {
  uniswapV3: '0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54',
  uniswapV2: '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f',
  algebraIntegral: '0x62441ebe4e4315cf3d49d5957f94d66b253dbabe7006f34ad7f70947e60bf15c',
} as const
