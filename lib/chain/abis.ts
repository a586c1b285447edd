import { parseAbi } from 'viem'

/** Only the fragments ARBY calls. Quoters are declared `view`: they revert internally and return data. */
export const multicall3Abi = parseAbi([
  'struct Call3 { address target; bool allowFailure; bytes callData; }',
  'struct Result { bool success; bytes returnData; }',
  'function aggregate3(Call3[] calls) payable returns (Result[] returnData)',
])

export const erc20Abi = parseAbi(['function balanceOf(address) view returns (uint256)'])

export const v3FactoryAbi = parseAbi(['function getPool(address, address, uint24) view returns (address)'])
export const v2FactoryAbi = parseAbi(['function getPair(address, address) view returns (address)'])
export const algebraFactoryAbi = parseAbi(['function poolByPair(address, address) view returns (address)'])

/** Each factory kind's creation event: Uniswap V3 (and its forks), Uniswap V2, Algebra Integral. */
export const creationEvents = {
  uniswap_v3: parseAbi(['event PoolCreated(address indexed token0, address indexed token1, uint24 indexed fee, int24 tickSpacing, address pool)'])[0],
  uniswap_v2: parseAbi(['event PairCreated(address indexed token0, address indexed token1, address pair, uint256 index)'])[0],
  algebra: parseAbi(['event Pool(address indexed token0, address indexed token1, address pool)'])[0],
} as const

export const poolAbi = parseAbi([
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function liquidity() view returns (uint128)',
  'function fee() view returns (uint24)',
  'function getReserves() view returns (uint112, uint112, uint32)',
])
export const v3HeadAbi = parseAbi([
  'function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool)',
  'function tickSpacing() view returns (int24)',
])
/** Algebra's fee() returns uint16 (the current, possibly dynamic, fee). */
export const algebraPoolAbi = parseAbi(['function fee() view returns (uint16)'])

export const quoterV2Abi = parseAbi([
  'struct ExactIn { address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'struct ExactOut { address tokenIn; address tokenOut; uint256 amount; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'function quoteExactInputSingle(ExactIn params) view returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate)',
  'function quoteExactOutputSingle(ExactOut params) view returns (uint256 amountIn, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate)',
])

export const algebraQuoterAbi = parseAbi([
  'struct ExactIn { address tokenIn; address tokenOut; address deployer; uint256 amountIn; uint160 limitSqrtPrice; }',
  'struct ExactOut { address tokenIn; address tokenOut; address deployer; uint256 amount; uint160 limitSqrtPrice; }',
  'function quoteExactInputSingle(ExactIn params) view returns (uint256 amountOut, uint256 amountIn, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate, uint16 fee)',
  'function quoteExactOutputSingle(ExactOut params) view returns (uint256 amountOut, uint256 amountIn, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate, uint16 fee)',
])

export const v2RouterAbi = parseAbi([
  'function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)',
  'function getAmountsIn(uint256 amountOut, address[] path) view returns (uint256[] amounts)',
])
