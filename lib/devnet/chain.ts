import {
  createTestClient, encodeDeployData, getContractAddress, http, publicActions, walletActions,
  type Abi, type Address, type Hex, type TransactionReceipt,
} from 'viem'
import { arbitrum } from 'viem/chains'
import { loadArtifact, type ArtifactName } from './artifacts.ts'

/** anvil's first default account: funded and unlocked, the devnet's operator. */
export const OPERATOR: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

export function devnetClient(url: string) {
  // cacheTime 0: a block number read right after a transaction must include it.
  return createTestClient({ chain: arbitrum, mode: 'anvil', transport: http(url, { retryCount: 0 }), pollingInterval: 5, cacheTime: 0 })
    .extend(publicActions)
    .extend(walletActions)
}
export type DevnetClient = ReturnType<typeof devnetClient>

/** Explicit gas everywhere: anvil sometimes underestimates NonfungiblePositionManager.mint. */
const DEPLOY_GAS = 25_000_000n
export const TX_GAS = 5_000_000n

/** Sends a transaction and waits for its receipt; a revert is an error naming the step. */
export async function send(client: DevnetClient, label: string, tx: { from: Address; to?: Address; data: Hex; value?: bigint; gas?: bigint }): Promise<TransactionReceipt> {
  const hash = await client.sendTransaction({
    account: tx.from, chain: arbitrum, to: tx.to ?? null, data: tx.data, value: tx.value ?? 0n, gas: tx.gas ?? TX_GAS,
  } as never)
  const receipt = await receiptOf(client, hash)
  if (receipt.status !== 'success') throw new Error(`devnet seed step failed: ${label} (tx ${hash})`)
  return receipt
}

/**
 * The receipt, polled directly every 2 ms until a deadline. viem's waitForTransactionReceipt
 * looks again only when a new block appears: on an automining devnet, a receipt not yet
 * indexed when the transaction's own block is seen waits for a block that never comes.
 */
export async function receiptOf(client: DevnetClient, hash: Hex, timeoutMs = 30_000): Promise<TransactionReceipt> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    try {
      return await client.getTransactionReceipt({ hash })
    } catch (error) {
      if ((error as { name?: string }).name !== 'TransactionReceiptNotFoundError') throw error
    }
    if (performance.now() > deadline) throw new Error(`devnet: no receipt for ${hash} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Sends a transaction without waiting for it to be mined; resolves with its hash once the node has it. */
export async function submit(client: DevnetClient, tx: { from: Address; to?: Address; data: Hex; value?: bigint; gas?: bigint }): Promise<Hex> {
  return client.sendTransaction({ account: tx.from, chain: arbitrum, to: tx.to ?? null, data: tx.data, value: tx.value ?? 0n, gas: tx.gas ?? TX_GAS } as never)
}

/** Deploys an artifact from `from` and returns its address. */
export async function deploy(client: DevnetClient, name: ArtifactName, args: readonly unknown[], from: Address = OPERATOR): Promise<Address> {
  const { abi, bytecode } = loadArtifact(name)
  const data = encodeDeployData({ abi: abi as Abi, bytecode, args } as never)
  const receipt = await send(client, `deploy ${name}`, { from, data, gas: DEPLOY_GAS })
  if (!receipt.contractAddress) throw new Error(`deploy ${name}: no contract address`)
  return receipt.contractAddress
}

/** Deploys from a chosen account at a chosen nonce: how canonical CREATE addresses are reproduced. */
export async function deployAt(client: DevnetClient, name: ArtifactName, args: readonly unknown[], from: Address, nonce: number): Promise<Address> {
  await client.setNonce({ address: from, nonce })
  const expected = getContractAddress({ from, nonce: BigInt(nonce) })
  const address = await deploy(client, name, args, from)
  if (address.toLowerCase() !== expected.toLowerCase()) throw new Error(`deploy ${name}: got ${address}, expected ${expected}`)
  return address
}

export async function impersonate(client: DevnetClient, address: Address): Promise<void> {
  await client.impersonateAccount({ address })
  await client.setBalance({ address, value: 10n ** 24n })
}
