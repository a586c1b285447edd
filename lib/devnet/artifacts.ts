import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Abi, Hex } from 'viem'

/** `runtime` is the deployed code where it holds no immutables (safe to place with setCode). */
export type Artifact = { abi: Abi; bytecode: Hex; runtime: Hex | null }

const require = createRequire(import.meta.url)

/** Real contract bytecode, straight from the npm packages (read at run time, not bundled). */
const NPM_ARTIFACTS = {
  UniswapV3Factory: '@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json',
  UniswapV3Pool: '@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json',
  QuoterV2: '@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json',
  SwapRouter: '@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json',
  NonfungiblePositionManager: '@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json',
  UniswapV2Factory: '@uniswap/v2-core/build/UniswapV2Factory.json',
  UniswapV2Pair: '@uniswap/v2-core/build/UniswapV2Pair.json',
  UniswapV2Router02: '@uniswap/v2-periphery/build/UniswapV2Router02.json',
  WETH9: '@uniswap/v2-periphery/build/WETH9.json',
  AlgebraFactory: '@cryptoalgebra/integral-core/artifacts/contracts/AlgebraFactory.sol/AlgebraFactory.json',
  AlgebraPoolDeployer: '@cryptoalgebra/integral-core/artifacts/contracts/AlgebraPoolDeployer.sol/AlgebraPoolDeployer.json',
  AlgebraPool: '@cryptoalgebra/integral-core/artifacts/contracts/AlgebraPool.sol/AlgebraPool.json',
  AlgebraQuoterV2: '@cryptoalgebra/integral-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json',
  AlgebraSwapRouter: '@cryptoalgebra/integral-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json',
  AlgebraPositionManager: '@cryptoalgebra/integral-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json',
} as const

/** ARBY's own contracts, compiled once and committed (lib/devnet/contracts, contracts/). */
const LOCAL_ARTIFACTS = {
  MockERC20: './contracts/MockERC20.json',
  Multicall3: './contracts/Multicall3.json',
  ArbExecutor: '../../contracts/ArbExecutor.json',
  FakePool: '../../contracts/test/FakePool.json',
  MockArbGasInfo: '../../contracts/test/MockArbGasInfo.json',
  MockNodeInterface: '../../contracts/test/MockNodeInterface.json',
} as const

export type ArtifactName = keyof typeof NPM_ARTIFACTS | keyof typeof LOCAL_ARTIFACTS

const cache = new Map<ArtifactName, Artifact>()

export function loadArtifact(name: ArtifactName): Artifact {
  const cached = cache.get(name)
  if (cached) return cached
  const path = name in NPM_ARTIFACTS
    ? require.resolve(NPM_ARTIFACTS[name as keyof typeof NPM_ARTIFACTS])
    : new URL(LOCAL_ARTIFACTS[name as keyof typeof LOCAL_ARTIFACTS], import.meta.url).pathname
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    abi?: Abi
    bytecode: string
    deployedBytecode?: string
    evm?: { deployedBytecode?: { object: string } }
  }
  const runtime = json.deployedBytecode ?? json.evm?.deployedBytecode?.object ?? null
  const artifact = { abi: json.abi ?? [], bytecode: hex(json.bytecode), runtime: runtime ? hex(runtime) : null }
  cache.set(name, artifact)
  return artifact
}

/** Uniswap V2 builds store bytecode without the 0x prefix. */
function hex(code: string): Hex {
  return (code.startsWith('0x') ? code : `0x${code}`) as Hex
}
