import { getContractAddress, stringToHex, toHex, type Address, type Hex } from 'viem'
import {
  ALGEBRA_DEPLOYER, CANONICAL, MULTICALL3_DEPLOYER, UNISWAP_V3_DEPLOYER, UNISWAP_V3_NONCES,
} from './addresses.ts'
import { loadArtifact } from './artifacts.ts'
import { deploy, deployAt, impersonate, OPERATOR, send, type DevnetClient } from './chain.ts'
import { encodeFunctionData } from 'viem'
import { relocate } from './relocate.ts'

/** What the devnet holds and where: canonical addresses plus the devnet-only periphery. */
export type Deployment = {
  tokens: Record<'WETH' | 'USDC' | 'USDT' | 'WBTC' | 'ARB', Address>
  multicall3: Address
  uniswapV3: { factory: Address; quoter: Address; router: Address; positionManager: Address }
  sushiV3: { factory: Address; quoter: Address; router: Address; positionManager: Address }
  uniswapV2: { factory: Address; router: Address }
  algebra: { factory: Address; poolDeployer: Address; quoter: Address; router: Address; positionManager: Address }
}

export const DEVNET_TOKEN_DECIMALS = { WETH: 18, USDC: 6, USDT: 6, WBTC: 8, ARB: 18 } as const
export type DevnetToken = keyof typeof DEVNET_TOKEN_DECIMALS

const TOKENS = [
  { symbol: 'USDC', name: 'USD Coin', decimals: 6 },
  { symbol: 'USDT', name: 'Tether USD', decimals: 6 },
  { symbol: 'WBTC', name: 'Wrapped BTC', decimals: 8 },
  { symbol: 'ARB', name: 'Arbitrum', decimals: 18 },
] as const

/** Deploys every contract the scanner and the seed need. Deterministic: same addresses every run. */
export async function deployAll(client: DevnetClient): Promise<Deployment> {
  // Multicall3 from its keyless deployer at nonce 0.
  await impersonate(client, MULTICALL3_DEPLOYER)
  const multicall3 = await deployAt(client, 'Multicall3', [], MULTICALL3_DEPLOYER, 0)

  // Tokens: runtime code at the canonical address, name/symbol/decimals in slots 0..2.
  await placeToken(client, CANONICAL.WETH, 'WETH9', 'Wrapped Ether', 'WETH', 18)
  for (const token of TOKENS) await placeToken(client, CANONICAL[token.symbol], 'MockERC20', token.name, token.symbol, token.decimals)
  const weth = CANONICAL.WETH

  // Uniswap V3 from its real deployer at the real nonces.
  await impersonate(client, UNISWAP_V3_DEPLOYER)
  const factory = await deployAt(client, 'UniswapV3Factory', [], UNISWAP_V3_DEPLOYER, UNISWAP_V3_NONCES.factory)
  const router = await deployAt(client, 'SwapRouter', [factory, weth], UNISWAP_V3_DEPLOYER, UNISWAP_V3_NONCES.swapRouter)
  const positionManager = await deployAt(client, 'NonfungiblePositionManager', [factory, weth, OPERATOR], UNISWAP_V3_DEPLOYER, UNISWAP_V3_NONCES.positionManager)
  await enableFee100(client, factory, UNISWAP_V3_DEPLOYER)

  // Contracts whose deployer is unknown: deploy anywhere, then move code and storage.
  const quoterTemp = await deploy(client, 'QuoterV2', [factory, weth])
  const sushiFactoryTemp = await deploy(client, 'UniswapV3Factory', [])
  const sushiQuoterTemp = await deploy(client, 'QuoterV2', [CANONICAL.sushiV3Factory, weth])
  const v2FactoryTemp = await deploy(client, 'UniswapV2Factory', [OPERATOR])
  const v2RouterTemp = await deploy(client, 'UniswapV2Router02', [CANONICAL.uniswapV2Factory, weth])
  await relocate(client, [
    { from: quoterTemp, to: CANONICAL.uniswapV3QuoterV2 },
    { from: sushiFactoryTemp, to: CANONICAL.sushiV3Factory, patchSelf: true },
    { from: sushiQuoterTemp, to: CANONICAL.sushiV3QuoterV2 },
    { from: v2FactoryTemp, to: CANONICAL.uniswapV2Factory },
    { from: v2RouterTemp, to: CANONICAL.uniswapV2Router02 },
  ])
  await enableFee100(client, CANONICAL.sushiV3Factory, OPERATOR)
  // Sushi's periphery is only used to seed and move the market: devnet addresses are fine.
  const sushiRouter = await deploy(client, 'SwapRouter', [CANONICAL.sushiV3Factory, weth])
  const sushiPositionManager = await deploy(client, 'NonfungiblePositionManager', [CANONICAL.sushiV3Factory, weth, OPERATOR])

  // Algebra Integral: its own deployer, fixed nonces (pool deployer needs the factory's future address).
  await impersonate(client, ALGEBRA_DEPLOYER)
  const algebraFactoryAddress = getContractAddress({ from: ALGEBRA_DEPLOYER, nonce: 1n })
  const poolDeployer = await deployAt(client, 'AlgebraPoolDeployer', [algebraFactoryAddress], ALGEBRA_DEPLOYER, 0)
  const algebraFactory = await deployAt(client, 'AlgebraFactory', [poolDeployer], ALGEBRA_DEPLOYER, 1)
  const algebraQuoter = await deployAt(client, 'AlgebraQuoterV2', [algebraFactory, weth, poolDeployer], ALGEBRA_DEPLOYER, 2)
  const algebraPositionManager = await deployAt(client, 'AlgebraPositionManager', [algebraFactory, weth, OPERATOR, poolDeployer], ALGEBRA_DEPLOYER, 3)
  const algebraRouter = await deployAt(client, 'AlgebraSwapRouter', [algebraFactory, weth, poolDeployer], ALGEBRA_DEPLOYER, 4)

  return {
    tokens: { WETH: weth, USDC: CANONICAL.USDC, USDT: CANONICAL.USDT, WBTC: CANONICAL.WBTC, ARB: CANONICAL.ARB },
    multicall3,
    uniswapV3: { factory, quoter: CANONICAL.uniswapV3QuoterV2, router, positionManager },
    sushiV3: { factory: CANONICAL.sushiV3Factory, quoter: CANONICAL.sushiV3QuoterV2, router: sushiRouter, positionManager: sushiPositionManager },
    uniswapV2: { factory: CANONICAL.uniswapV2Factory, router: CANONICAL.uniswapV2Router02 },
    algebra: { factory: algebraFactory, poolDeployer, quoter: algebraQuoter, router: algebraRouter, positionManager: algebraPositionManager },
  }
}

export async function placeToken(client: DevnetClient, address: Address, artifact: 'WETH9' | 'MockERC20', name: string, symbol: string, decimals: number): Promise<void> {
  const runtime = loadArtifact(artifact).runtime
  if (!runtime) throw new Error(`${artifact}: no runtime bytecode`)
  await client.setCode({ address, bytecode: runtime })
  await client.setStorageAt({ address, index: toHex(0, { size: 32 }), value: shortString(name) })
  await client.setStorageAt({ address, index: toHex(1, { size: 32 }), value: shortString(symbol) })
  await client.setStorageAt({ address, index: toHex(2, { size: 32 }), value: toHex(decimals, { size: 32 }) })
}

/** Solidity's storage form of a string under 32 bytes: the bytes, then length * 2 in the last byte. */
function shortString(text: string): Hex {
  const bytes = stringToHex(text).slice(2)
  if (bytes.length > 62) throw new Error(`string too long for one slot: ${text}`)
  return `0x${bytes.padEnd(62, '0')}${(text.length * 2).toString(16).padStart(2, '0')}` as Hex
}

/** Arbitrum's V3 factories have the 0.01% tier (tick spacing 1); v3-core 1.0.1's constructor does not. */
async function enableFee100(client: DevnetClient, factory: Address, owner: Address): Promise<void> {
  const data = encodeFunctionData({ abi: loadArtifact('UniswapV3Factory').abi, functionName: 'enableFeeAmount', args: [100, 1] })
  await send(client, 'enable fee 100', { from: owner, to: factory, data })
}
