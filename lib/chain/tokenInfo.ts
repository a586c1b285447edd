import { decodeFunctionResult, encodeFunctionData, erc20Abi, hexToString, type Address, type Hex } from 'viem'
import type { Config } from '../config/resolve.ts'
import type { RpcClient } from '../rpc/client.ts'
import { aggregate3, type Call } from './multicall.ts'

/** What a token says of itself at a block: decimals (0–36, what a config may list) and a symbol as it returned it. */
export type TokenInfo = { decimals: number; symbol: string | null }

const decimalsCall = encodeFunctionData({ abi: erc20Abi, functionName: 'decimals' })
const symbolCall = encodeFunctionData({ abi: erc20Abi, functionName: 'symbol' })
/** A proxied token's view costs a delegatecall more than a plain one. */
const TOKEN_READ = { batchSize: 2_000, gasPerCall: 60_000 } as const

/**
 * Each token's `decimals()` and `symbol()` at `blockNumber`, in one Multicall3 round. null: the
 * token did not answer `decimals()` with a whole number the config would accept (0–36), so its
 * amounts cannot be read. A symbol may be a string or (older tokens) a bytes32; else null. An
 * infrastructure failure throws: an unreadable chain is not a fact about the token.
 */
export async function readTokenInfo(client: RpcClient, config: Config, addresses: readonly Address[], blockNumber: bigint): Promise<Map<Address, TokenInfo | null>> {
  const calls: Call[] = addresses.flatMap((target) => [{ target, callData: decimalsCall }, { target, callData: symbolCall }])
  const results = calls.length ? await aggregate3({ client, multicall3: config.multicall3, calls, blockNumber, ...TOKEN_READ }) : []
  const out = new Map<Address, TokenInfo | null>()
  addresses.forEach((address, i) => {
    const [decimals, symbol] = [results[2 * i]!, results[2 * i + 1]!]
    for (const result of [decimals, symbol]) if (!result.ok && result.infra) throw new Error(`token ${address} could not be read: ${result.error}`)
    const places = decimals.ok && decimals.data.length === 66 ? BigInt(decimals.data) : null
    out.set(address, places === null || places > 36n ? null : { decimals: Number(places), symbol: symbol.ok ? symbolOf(symbol.data) : null })
  })
  return out
}

/** An ABI string, else a bytes32 up to its first zero byte; null when neither. */
function symbolOf(data: Hex): string | null {
  try {
    return decodeFunctionResult({ abi: erc20Abi, functionName: 'symbol', data })
  } catch {
    if (data.length !== 66) return null
    const text = hexToString(data as Hex).replace(/\0.*$/s, '')
    return text.length ? text : null
  }
}
