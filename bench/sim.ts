/**
 * What Phase 3's simulation costs a cycle: the devnet scanned with execution off and with
 * simulate, on loopback and through a proxy adding 20 ms to every request (a hosted RPC's round
 * trip); requests per cycle by method, cycle time, and the simulation's share per candidate.
 * Not a test; prints a table.  Run: npm run bench:sim [-- --cycles 5]
 */
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { table } from '../lib/report/table.ts'
import { scanJob } from '../lib/scan/scanJob.ts'
import { tempDir } from '../tests/helpers/cli.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '5' } } })
const cycles = Number(values.cycles)
const devnet = await startDevnet({ l1BaseFeeWei: 500_000_000n })
const rows: string[][] = []
try {
  for (const latencyMs of [0, 20]) {
    const base: Record<string, number> = {}
    for (const execution of ['off', 'simulate'] as const) {
      const proxy = await startFaultProxy({ upstream: devnet.url, latencyMs })
      const started = performance.now()
      const { outcomes } = await scanJob({ mode: 'real', configPath: 'config/smoke.yaml', rpc: [proxy.url], cycles, execution, outputDir: tempDir('arby-bench-') })
      const ms = (performance.now() - started) / cycles
      proxy.stop()
      const requests = proxy.log.length / cycles
      const simulations = outcomes.reduce((n, o) => n + o.artifacts.snapshot.simulations.length, 0) / cycles
      const simRequests = proxy.log.filter((e) => e.method === 'eth_simulateV1' || (e.method === 'eth_call' && e.block !== null && false)).length / cycles
      if (execution === 'off') Object.assign(base, { ms, requests })
      rows.push([
        latencyMs ? `+${latencyMs} ms` : 'loopback', execution, ms.toFixed(0), requests.toFixed(1), simulations.toFixed(1),
        execution === 'off' ? '-' : (requests - base.requests!).toFixed(1),
        execution === 'off' ? '-' : (ms - base.ms!).toFixed(0),
        execution === 'off' || !simulations ? '-' : ((ms - base.ms!) / simulations).toFixed(2),
        execution === 'off' || !latencyMs ? '-' : ((ms - base.ms!) / latencyMs).toFixed(1),
      ])
      void simRequests
    }
  }
  console.log(`devnet (config/smoke.yaml universe: 18 pools, 108 quotes), ${cycles} cycles each, L1 base fee 0.5 gwei in the mock NodeInterface`)
  console.log(table(['RPC', 'execution', 'ms/cycle', 'requests/cycle', 'simulations/cycle', 'extra requests', 'extra ms', 'extra ms/simulation', 'extra round trips'], rows).join('\n'))
} finally {
  await devnet.stop()
}
