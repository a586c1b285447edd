import { type Address } from 'viem'
import type { Config } from '../config/resolve.ts'
import { InputError } from '../errors.ts'
import type { RpcClient } from '../rpc/client.ts'
import { executorAbi, executorRuntime } from './executor.ts'
import type { SimulationTarget } from './simulate.ts'

/** Where an undeployed executor's code is placed for simulations, and who owns it there. */
export const SIMULATED_EXECUTOR: Address = '0x00000000000000000000000000000000a4b1e7ec'
export const SIMULATED_OWNER: Address = '0x00000000000000000000000000000000a4b10000'

/**
 * The executor the simulations call: the configured deployment as it is (its owner is the
 * sender), or, with none configured, the executor's code placed by state override at a fixed
 * address with the sender as owner — so simulation needs no deployment.
 */
export async function simulationTarget(client: RpcClient, execution: Config['execution']): Promise<SimulationTarget> {
  const l1 = execution.l1_cost
  if (!execution.executor) {
    const from = (execution.from as Address | undefined) ?? SIMULATED_OWNER
    return { to: SIMULATED_EXECUTOR, from, code: executorRuntime(from), l1 }
  }
  const to = execution.executor as Address
  return { to, from: await executorOwner(client, to, execution.from as Address | undefined), code: null, l1 }
}

/**
 * The owner of a deployed ArbExecutor, checked: code at the address, an `owner()` that answers,
 * and (when given) the expected owner — the only sender the contract accepts.
 */
export async function executorOwner(client: RpcClient, executor: Address, expected?: Address): Promise<Address> {
  const code = await client.getCode({ address: executor })
  if (!code || code === '0x') {
    throw new InputError('EXECUTOR_MISSING', `execution.executor ${executor} has no code on this chain`, { hint: 'deploy ArbExecutor there, or remove execution.executor to simulate with its code placed by state override' })
  }
  let owner: Address
  try {
    owner = await client.readContract({ address: executor, abi: executorAbi, functionName: 'owner' }) as Address
  } catch {
    throw new InputError('EXECUTOR_INVALID', `execution.executor ${executor} is not an ArbExecutor (its owner() does not answer)`, { hint: 'set execution.executor to a deployment of contracts/ArbExecutor.sol' })
  }
  if (expected && expected.toLowerCase() !== owner.toLowerCase()) {
    throw new InputError('EXECUTOR_OWNER_MISMATCH', `${expected} is not the owner of execution.executor ${executor} (its owner is ${owner}); only the owner can trade through it`, { hint: 'sign with the owner\'s key, or deploy an executor from this key' })
  }
  return owner
}
