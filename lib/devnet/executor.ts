import { parseEther, type Address } from 'viem'
import { EXECUTOR_BYTECODE } from '../sim/executor.ts'
import { send, type DevnetClient } from './chain.ts'

/**
 * Deploys ArbExecutor on the devnet with `owner` as its deployer (and so its owner): anvil
 * impersonates the owner for the one transaction, and funds it first if it has no ETH for gas.
 */
export async function deployExecutor(client: DevnetClient, owner: Address): Promise<Address> {
  if ((await client.getBalance({ address: owner })) < parseEther('1')) await client.setBalance({ address: owner, value: parseEther('100') })
  await client.impersonateAccount({ address: owner })
  try {
    const receipt = await send(client, 'deploy ArbExecutor', { from: owner, data: EXECUTOR_BYTECODE, gas: 5_000_000n })
    return receipt.contractAddress!
  } finally {
    await client.stopImpersonatingAccount({ address: owner })
  }
}
