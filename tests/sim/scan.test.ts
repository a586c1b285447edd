import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, type Address, type Hex } from 'viem'
import type { ScanSnapshot } from '../../lib/contract/scanSnapshot.ts'
import type { TruthReport } from '../../lib/contract/truthReport.ts'
import { deploy, OPERATOR } from '../../lib/devnet/chain.ts'
import { setL1BaseFee } from '../../lib/devnet/precompiles.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { decodeRevert, executorRuntime } from '../../lib/sim/executor.ts'
import { tempDir } from '../helpers/cli.ts'
import { startFaultProxy } from '../helpers/faultProxy.ts'

/** config/smoke.yaml (every devnet venue) with an `execution:` block, as a temp file. */
function configWith(execution: string): string {
  const path = join(tempDir(), 'sim.yaml')
  writeFileSync(path, `${readFileSync('config/smoke.yaml', 'utf8')}\nexecution:\n${execution}\n`)
  return path
}

describe('Phase 3 in the scan: every opportunity\'s exact transaction, simulated at the pinned block', () => {
  let devnet: Devnet
  const scan = async (configPath: string, rpc = devnet.url) => {
    const { outcomes } = await scanJob({ mode: 'real', configPath, rpc: [rpc], cycles: 1, outputDir: tempDir() })
    return outcomes[0]!.artifacts as { snapshot: ScanSnapshot; truth: TruthReport }
  }
  beforeAll(async () => {
    devnet = await startDevnet({ l1BaseFeeWei: 500_000_000n })
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: simulated profit = predicted gross for every opportunity; costs are the simulated L2 gas + the L1 part', async () => {
    const { snapshot, truth } = await scan(configWith('  mode: simulate'))
    expect(snapshot.opportunities.length).toBeGreaterThan(10)
    const price = BigInt(snapshot.gas.gas_price_wei!)
    for (const o of snapshot.opportunities) {
      const sim = o.simulation!
      expect([o.gas_source, sim.status, sim.method, sim.block]).toEqual(['simulation', 'passed', 'eth_simulateV1', snapshot.current_block])
      expect(sim.profit).toBe(o.gross_profit)
      expect(sim.predicted_profit).toBe(o.gross_profit)
      expect([sim.quote_out, sim.quote_in]).toEqual([o.sell.amount_out, o.buy.amount_in])
      expect(BigInt(sim.l1_gas!)).toBeGreaterThan(0n)
      expect(o.gas_units).toBe((BigInt(sim.gas_used!) + BigInt(sim.l1_gas!)).toString())
      expect([sim.l2_cost_wei, sim.l1_cost_wei]).toEqual([(BigInt(sim.gas_used!) * price).toString(), (BigInt(sim.l1_gas!) * price).toString()])
      expect(o.gas_cost_wei).toBe((BigInt(sim.l2_cost_wei!) + BigInt(sim.l1_cost_wei!)).toString())
      expect(sim.net_after_sim).toBe(o.net_profit)
      expect(BigInt(o.net_profit)).toBe(BigInt(o.gross_profit) - BigInt(o.gas_cost))
      expect(o.execution_blockers).toEqual(['EXECUTION_DISABLED_M4'])
    }
    expect([truth.stats.simulated, truth.stats.sim_passed, truth.stats.sim_mismatches]).toEqual([truth.stats.opportunities, truth.stats.opportunities, 0])
    expect(truth.stats.execution_ready_count).toBe(0)
    expect(truth.revalidation).toEqual({ total: truth.stats.simulated, passed: truth.stats.sim_passed, gates_changed: 0, gates_changed_pct: '0.0' })
    // Optimal sizes are simulated too (informational).
    expect(truth.optimal_sizes.length).toBeGreaterThan(0)
    for (const o of truth.optimal_sizes) expect(o.simulation?.profit).toBe(o.gross_profit)
  })

  test('behavior: every recorded simulation re-runs independently (raw eth_simulateV1, the recorded code, sender and calldata) to the same profit and gas', async () => {
    const { snapshot } = await scan(configWith('  mode: simulate'))
    expect(snapshot.simulations.length).toBeGreaterThan(snapshot.opportunities.length)
    const header = await devnet.client.getBlock({ blockNumber: BigInt(snapshot.current_block) })
    for (const record of snapshot.simulations) {
      expect(record.code_override).toBe(true)
      const [block] = await devnet.client.request({
        method: 'eth_simulateV1' as never,
        params: [{ blockStateCalls: [{ blockOverrides: { time: `0x${(header.timestamp + 1n).toString(16)}` }, stateOverrides: { [record.to]: { code: executorRuntime(record.from as Address) } }, calls: [{ from: record.from, to: record.to, data: record.calldata }] }] }, `0x${snapshot.current_block.toString(16)}`] as never,
      }) as { calls: { status: Hex; returnData: Hex; gasUsed: Hex }[] }[]
      const call = block!.calls[0]!
      expect(BigInt(call.gasUsed).toString()).toBe(record.gas_used!)
      if (record.status === 'passed' || record.status === 'below_threshold') expect(BigInt(call.returnData).toString()).toBe(record.profit!)
      else expect(decodeRevert(call.returnData).text).toBe(record.revert!)
    }
  })

  test('behavior: with the L1 price at 0 the cost is the L2 gas alone; at a spike, trades below the threshold are SIM_NET_BELOW_THRESHOLD rejects (stage simulation), and every reject is still counted once', async () => {
    await setL1BaseFee(devnet.client, 0n)
    const calm = await scan(configWith('  mode: simulate'))
    for (const o of calm.snapshot.opportunities) {
      expect(o.simulation!.l1_gas).toBe('0')
      expect(o.gas_units).toBe(o.simulation!.gas_used!)
    }
    await setL1BaseFee(devnet.client, 400n * 10n ** 9n) // 400 gwei on L1
    const spike = await scan(configWith('  mode: simulate'))
    const below = spike.snapshot.rejects.filter((r) => r.code === 'SIM_NET_BELOW_THRESHOLD')
    expect(below.length).toBeGreaterThan(0)
    for (const r of below) {
      expect([r.stage, r.bucket]).toEqual(['simulation', 'other'])
      expect(r.message).toMatch(/^net after simulated gas -?\d+ < threshold \d+ \w+ units \(profit \d+, L2 gas \d+, L1 gas \d+\)$/)
    }
    expect(spike.snapshot.opportunities.length).toBe(calm.snapshot.opportunities.length - below.length)
    expect(spike.truth.stats.sim_passed).toBe(spike.snapshot.opportunities.length)
    expect(spike.truth.revalidation.gates_changed).toBe(below.length)
    const buckets = Object.values(spike.truth.health.gate_breakdown).reduce((a, b) => a + b, 0)
    expect(buckets).toBe(spike.snapshot.rejects.length)
    expect(spike.truth.stats.candidates_total).toBe(spike.truth.stats.candidates_rejected + spike.truth.stats.opportunities)
    await setL1BaseFee(devnet.client, 500_000_000n)
  })

  test('behavior: a deployed executor is simulated as deployed (no code override), from its owner', async () => {
    const executor = getAddress(await deploy(devnet.client, 'ArbExecutor', [], OPERATOR))
    const { snapshot } = await scan(configWith(`  mode: simulate\n  executor: "${executor}"`))
    expect(snapshot.simulations.every((s) => s.to === executor && s.from === OPERATOR && !s.code_override)).toBe(true)
    expect(snapshot.opportunities.every((o) => o.simulation!.status === 'passed')).toBe(true)
  })

  test('error: a configured executor with no code is refused before any cycle (exit 2)', async () => {
    const error = await scanJob({ mode: 'real', configPath: configWith('  mode: simulate\n  executor: "0x000000000000000000000000000000000000dEaD"'), rpc: [devnet.url], cycles: 1, outputDir: tempDir() }).catch((e) => e)
    expect([error.code, error.exitCode]).toEqual(['EXECUTOR_MISSING', 2])
  })

  test('behavior: an endpoint without eth_simulateV1 falls back to eth_call + eth_estimateGas; profits stay exact', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url, missingMethods: ['eth_simulateV1'] })
    try {
      const { snapshot, truth } = await scan(configWith('  mode: simulate'), proxy.url)
      expect(snapshot.opportunities.length).toBeGreaterThan(10)
      for (const o of snapshot.opportunities) expect([o.simulation!.method, o.simulation!.profit]).toEqual(['eth_call', o.gross_profit])
      // One refused eth_simulateV1 is enough to learn it.
      expect(proxy.log.filter((e) => e.method === 'eth_simulateV1').length).toBeLessThanOrEqual(snapshot.simulations.length)
      expect(truth.health.rpc_success_rate).toBeGreaterThan(0.5)
    } finally {
      proxy.stop()
    }
  })
})
