/**
 * What guarded execution costs: (1) a durable ledger write (bun:sqlite, WAL, synchronous=FULL)
 * per state transition, on this machine's disk; (2) on the devnet, the time from the pinned
 * block to the signed bytes leaving (pin → detection → signature → send), on loopback and
 * through a proxy adding 20 ms to every request (a hosted RPC's round trip). Targets: ≤ 1 ms per
 * write; detection to send within one 250 ms block. Not a test; prints tables.
 * Run: npm run bench:exec [-- --trades 20 --writes 2000]
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { TradeStore } from '../lib/exec/store.ts'
import { table } from '../lib/report/table.ts'
import { removeTempDirs } from '../tests/helpers/cli.ts'
import { rig, runLive } from '../tests/helpers/exec.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'
import { draft, SIGNER, tx } from '../tests/helpers/trades.ts'

const { values } = parseArgs({ options: { trades: { type: 'string', default: '20' }, writes: { type: 'string', default: '2000' } } })
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { median: at(0.5), p99: at(0.99), max: sorted.at(-1)!, mean: samples.reduce((a, b) => a + b, 0) / samples.length }
}

// (1) Ledger writes: insert, pass, sign (nonce reserved in the same transaction), send, mined, settle.
const dir = join('data', 'bench')
mkdirSync(dir, { recursive: true })
const path = join(dir, 'exec-bench.sqlite')
rmSync(path, { force: true })
const store = TradeStore.open(path)
store.setNextNonce(SIGNER, 0)
const byStep: Record<string, number[]> = { insert: [], pass: [], sign: [], send: [], mined: [], settle: [] }
const time = (step: string, fn: () => void) => {
  const t = performance.now()
  fn()
  byStep[step]!.push(performance.now() - t)
}
const writes = Number(values.writes)
for (let i = 0; i < writes / 6; i++) {
  const id = `t${i}`
  time('insert', () => store.insert(draft(id), 100))
  time('pass', () => store.apply(id, 'pass'))
  time('sign', () => store.sign(id, { tx: { ...tx(i), hash: `0x${i.toString(16).padStart(64, '0')}` } }, 100, { reserve: true }))
  time('send', () => store.apply(id, 'send', { sends: 1 }))
  time('mined', () => store.apply(id, 'mined', { receipt: { block: 101, status: 'success', gas_used: '200000', effective_gas_price: '10000000', l1_gas_used: null } }))
  time('settle', () => store.apply(id, 'settle', { realized: { profit: '10', quote_out: '20', quote_in: '10', balance_delta: '10', cost_wei: '2000000000000', cost: '6', net: '4', net_usd: 0.000004, profit_diff: '0', gas_diff: '0' } }))
}
store.close()
rmSync(path, { force: true })
console.log(`ledger writes on ${dir} (WAL, synchronous=FULL), ms per transition (each one durable transaction):`)
console.log(table(['step', 'writes', 'median', 'p99', 'max', 'mean'], Object.entries(byStep).map(([step, samples]) => {
  const s = stats(samples)
  return [step, String(samples.length), s.median.toFixed(3), s.p99.toFixed(3), s.max.toFixed(3), s.mean.toFixed(3)]
})).join('\n'))

// (2) Pin → send on the devnet: each trade from the same market state (snapshot, revert).
const devnet = await startDevnet()
const rows: string[][] = []
try {
  const r = await rig(devnet)
  for (const latencyMs of [0, 20]) {
    const proxy = latencyMs ? await startFaultProxy({ upstream: devnet.url, latencyMs, maxRequests: 1_000_000 }) : null
    const samples = { cycle: [] as number[], detect: [] as number[], sign: [] as number[], send: [] as number[], total: [] as number[] }
    for (let i = 0; i < Number(values.trades); i++) {
      const snapshot = await devnet.client.snapshot()
      const run = await runLive(r, { url: proxy?.url })
      const trade = run.ledger.list()[0]!
      run.ledger.close()
      await devnet.client.revert({ id: snapshot })
      const at = (to: string) => Date.parse(trade.transitions.find((t) => t.to === to)!.at)
      const cycleStart = Date.parse(readFileSync(join(run.dir, 'scan.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.event === 'cycle.start').ts)
      if (trade.state !== 'SETTLED') continue
      samples.detect.push(at('DETECTED') - cycleStart)
      samples.sign.push(at('SIGNED') - at('DETECTED'))
      samples.send.push(at('SUBMITTED') - at('SIGNED'))
      samples.total.push(at('SUBMITTED') - at('DETECTED'))
      samples.cycle.push(at('SUBMITTED') - cycleStart)
    }
    proxy?.stop()
    const m = (xs: number[]) => (xs.length ? stats(xs).median.toFixed(0) : '-')
    const p = (xs: number[]) => (xs.length ? stats(xs).p99.toFixed(0) : '-')
    rows.push([latencyMs ? `+${latencyMs} ms/request` : 'loopback', String(samples.total.length), m(samples.detect), m(samples.sign), m(samples.send), `${m(samples.total)} / ${p(samples.total)}`, `${m(samples.cycle)} / ${p(samples.cycle)}`])
  }
} finally {
  await devnet.stop()
  removeTempDirs()
}
console.log('\npin → send on the devnet, ms (median; median / p99 for the totals):')
console.log(table(['endpoint', 'trades', 'pin→detected', 'detected→signed', 'signed→sent', 'detected→sent', 'pin→sent'], rows).join('\n'))
console.log('detected→signed holds the kill-switch reads (head, balances, nonce) and the durable writes; signed→sent is one eth_sendRawTransaction.')
