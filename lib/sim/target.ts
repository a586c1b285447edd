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
  const code = await client.getCode({ address: to })
  if (!code || code === '0x') {
    throw new InputError('EXECUTOR_MISSING', `execution.executor ${to} has no code on this chain`, { hint: 'deploy ArbExecutor there, or remove execution.executor to simulate with its code placed by state override' })
  }
  const owner = await client.readContract({ address: to, abi: executorAbi, functionName: 'owner' }) as Address
  if (execution.from && execution.from.toLowerCase() !== owner.toLowerCase()) {
    throw new InputError('EXECUTOR_OWNER_MISMATCH', `execution.from ${execution.from} is not the owner of execution.executor (${owner})`, { hint: 'set execution.from to the owner, or leave it out' })
  }
  return { to, from: owner, code: null, l1 }
}
