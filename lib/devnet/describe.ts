import type { Address } from 'viem'
import { table } from '../report/table.ts'
import type { Deployment, DevnetToken } from './deploy.ts'
import { algebraPoolAddress, v2PairAddress, v3PoolAddress } from './poolAddress.ts'
import type { Devnet } from './startDevnet.ts'

/** Address of a seeded pool, computed (CREATE2) the way the factories place them. */
export function seededPoolAddress(deployment: Deployment, pair: string, venue: string): Address {
  const [base, quote] = pair.split('/') as [DevnetToken, DevnetToken]
  const a = deployment.tokens[base]
  const b = deployment.tokens[quote]
  const [dex, fee] = venue.split(':')
  if (dex === 'uniswap_v3') return v3PoolAddress(deployment.uniswapV3.factory, a, b, Number(fee))
  if (dex === 'sushiswap_v3') return v3PoolAddress(deployment.sushiV3.factory, a, b, Number(fee))
  if (dex === 'uniswap_v2') return v2PairAddress(deployment.uniswapV2.factory, a, b)
  return algebraPoolAddress(deployment.algebra.poolDeployer, a, b)
}

/** What `arby devnet` shows: the RPC URL, contracts and seeded pools. */
export async function describeDevnet(devnet: Devnet) {
  const d = devnet.deployment
  const block = Number(await devnet.client.getBlockNumber())
  const pools = devnet.pools.map((p) => ({ ...p, address: seededPoolAddress(d, p.pair, p.venue) }))
  const contracts: [string, string, string][] = [
    ...Object.entries(d.tokens).map(([symbol, address]): [string, string, string] => [symbol, address, 'canonical']),
    ['Multicall3', d.multicall3, 'canonical'],
    ['UniswapV3Factory', d.uniswapV3.factory, 'canonical'],
    ['UniswapV3 QuoterV2', d.uniswapV3.quoter, 'canonical'],
    ['UniswapV3 SwapRouter', d.uniswapV3.router, 'canonical'],
    ['UniswapV3 PositionManager', d.uniswapV3.positionManager, 'canonical'],
    ['SushiV3 Factory (Uniswap V3 code)', d.sushiV3.factory, 'canonical'],
    ['SushiV3 QuoterV2', d.sushiV3.quoter, 'canonical'],
    ['SushiV3 SwapRouter', d.sushiV3.router, 'devnet-only'],
    ['SushiV3 PositionManager', d.sushiV3.positionManager, 'devnet-only'],
    ['UniswapV2Factory', d.uniswapV2.factory, 'canonical'],
    ['UniswapV2Router02', d.uniswapV2.router, 'canonical'],
    ['Algebra Integral Factory', d.algebra.factory, 'devnet-only'],
    ['Algebra Integral QuoterV2', d.algebra.quoter, 'devnet-only'],
    ['Algebra Integral SwapRouter', d.algebra.router, 'devnet-only'],
    ['Algebra Integral PositionManager', d.algebra.positionManager, 'devnet-only'],
  ]
  const text = [
    `RPC ${devnet.url} · chain ${devnet.chainId} · block ${block}`,
    '',
    ...table(['contract', 'address', 'address kind'], contracts),
    '',
    ...table(['pair', 'venue', 'seed price', 'depth', 'pool'], pools.map((p) => [p.pair, p.venue, p.price, p.depth, p.address])),
  ].join('\n')
  const json = {
    url: devnet.url, chain_id: devnet.chainId, block, source: devnet.source,
    contracts: Object.fromEntries(contracts.map(([name, address]) => [name, address])),
    pools,
  }
  return { text, json }
}
