import { encodeAbiParameters, encodePacked, getCreate2Address, keccak256, type Address } from 'viem'
import { INIT_CODE_HASH } from './addresses.ts'

function sort(a: Address, b: Address): [Address, Address] {
  return BigInt(a) < BigInt(b) ? [a, b] : [b, a]
}

/** Uniswap V3 (and Sushi V3, same init code): salt = keccak(abi.encode(token0, token1, fee)). */
export function v3PoolAddress(factory: Address, a: Address, b: Address, fee: number): Address {
  const [token0, token1] = sort(a, b)
  const salt = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'uint24' }], [token0, token1, fee]))
  return getCreate2Address({ from: factory, salt, bytecodeHash: INIT_CODE_HASH.uniswapV3 })
}

/** Uniswap V2: salt = keccak(abi.encodePacked(token0, token1)). */
export function v2PairAddress(factory: Address, a: Address, b: Address): Address {
  const [token0, token1] = sort(a, b)
  const salt = keccak256(encodePacked(['address', 'address'], [token0, token1]))
  return getCreate2Address({ from: factory, salt, bytecodeHash: INIT_CODE_HASH.uniswapV2 })
}

/** Algebra Integral base pools: deployed by the pool deployer, salt = keccak(abi.encode(token0, token1)). */
export function algebraPoolAddress(poolDeployer: Address, a: Address, b: Address): Address {
  const [token0, token1] = sort(a, b)
  const salt = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'address' }], [token0, token1]))
  return getCreate2Address({ from: poolDeployer, salt, bytecodeHash: INIT_CODE_HASH.algebraIntegral })
}
