/**
 * RPC cost of one scan cycle for the configured universe: requests and Alchemy compute
 * units per method, measured through a counting proxy in front of the embedded devnet.
 * Not a test; prints a table.  Run: bun run bench/rpc.ts [--config F] [--cycles N]
 */
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { scanJob } from '../lib/scan/scanJob.ts'
import { table } from '../lib/report/table.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'
import { tempDir } from '../tests/helpers/cli.ts'

/** Alchemy compute units per call (their published table). */
const ALCHEMY_CU: Record<string, number> = { eth_chainId: 0, eth_blockNumber: 10, eth_getBlockByNumber: 16, eth_call: 26 }
const FREE_TIER_CU_PER_S = 330

const { values } = parseArgs({ options: { config: { type: 'string', default: 'config/arbitrum.yaml' }, cycles: { type: 'string', default: '5' } } })
const cycles = Number(values.cycles)
const devnet = await startDevnet()
const proxy = await startFaultProxy({ upstream: devnet.url })
try {
  const started = performance.now()
  const { outcomes } = await scanJob({ mode: 'real', configPath: values.config, rpc: [proxy.url], cycles, outputDir: tempDir('arby-bench-') })
  const elapsed = performance.now() - started
  const perMethod = new Map<string, number>()
  for (const entry of proxy.log) perMethod.set(entry.method, (perMethod.get(entry.method) ?? 0) + 1)
  const truth = outcomes[outcomes.length - 1]!.artifacts.truth
  const rows = [...perMethod].map(([method, n]) => {
    const perCycle = n / cycles
    return [method, perCycle.toFixed(2), String(ALCHEMY_CU[method] ?? '?'), (perCycle * (ALCHEMY_CU[method] ?? 0)).toFixed(0)]
  })
  const cuPerCycle = [...perMethod].reduce((sum, [method, n]) => sum + (n / cycles) * (ALCHEMY_CU[method] ?? 0), 0)
  console.log(`config ${values.config}: ${truth.stats.pools_registered} pools, ${truth.stats.quotes_total} quotes per cycle, ${cycles} cycles in ${elapsed.toFixed(0)} ms (${(elapsed / cycles).toFixed(1)} ms/cycle on the devnet)`)
  console.log(table(['method', 'requests/cycle', 'CU each', 'CU/cycle'], rows).join('\n'))
  console.log(`total: ${(proxy.log.length / cycles).toFixed(2)} requests and ${cuPerCycle.toFixed(0)} CU per cycle`)
  console.log(`Alchemy free tier (${FREE_TIER_CU_PER_S} CU/s): ${(FREE_TIER_CU_PER_S / cuPerCycle).toFixed(2)} cycles/s, i.e. one cycle every ${(cuPerCycle / FREE_TIER_CU_PER_S * 1000).toFixed(0)} ms (${(cuPerCycle / FREE_TIER_CU_PER_S / 0.25).toFixed(1)} Arbitrum blocks)`)
} finally {
  proxy.stop()
  await devnet.stop()
}
