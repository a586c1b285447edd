import * as v from 'valibot'
import { Address, BlockNumber, HexBytes, Int, Uint } from './primitives.ts'

/**
 * A simulation of the executor's exact transaction at the cycle's pinned block (Phase 3): the
 * simulated profit next to the predicted one, the real gas (L2 from the simulation, L1 from
 * Arbitrum's NodeInterface) and the net after both, or the decoded revert.
 */
export const SIMULATION_STATUSES = ['passed', 'mismatch', 'reverted', 'below_threshold', 'unsupported'] as const

export const Simulation = v.strictObject({
  /** eth_simulateV1 (gas as the receipt would say), or eth_call + eth_estimateGas where the endpoint lacks it. */
  method: v.picklist(['eth_simulateV1', 'eth_call', 'none']),
  block: BlockNumber,
  status: v.picklist(SIMULATION_STATUSES),
  predicted_profit: Int,
  /** What the simulated transaction gained (quote-token units); from ProfitTooLow's figure when below minProfit. */
  profit: v.nullable(Int),
  quote_out: v.nullable(Uint),
  quote_in: v.nullable(Uint),
  gas_used: v.nullable(Uint),
  /** The L1 data cost, in L2 gas (NodeInterface.gasEstimateL1Component). */
  l1_gas: v.nullable(Uint),
  l2_cost_wei: v.nullable(Uint),
  l1_cost_wei: v.nullable(Uint),
  /** Simulated profit − (L2 + L1 cost) in quote-token units. */
  net_after_sim: v.nullable(Int),
  revert: v.nullable(v.string()),
})
export type Simulation = v.InferOutput<typeof Simulation>

/** Everything needed to re-run a simulation independently: who called what, with which code, at which block. */
export const SimulationRecord = v.strictObject({
  id: v.string(),
  kind: v.picklist(['opportunity', 'optimal']),
  from: Address,
  to: Address,
  calldata: HexBytes,
  /** The executor's code was placed at `to` by state override (no deployment); its owner is `from`. */
  code_override: v.boolean(),
  ...Simulation.entries,
})
export type SimulationRecord = v.InferOutput<typeof SimulationRecord>
