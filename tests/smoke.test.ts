import { beforeAll, describe, expect, test } from 'bun:test'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { readRun, runCli, tempDir } from './helpers/cli.ts'

/** Timestamps (and the original's spread ids, which embed the second) differ run to run; everything else must not. */
function withoutTimestamps(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (['timestamp', 'ts', 'spread_id', 'opportunity_id'].includes(key) ? undefined : v)))
}

describe('smoke scan (M3)', () => {
  let first: ReturnType<typeof readRun>
  let second: ReturnType<typeof readRun>
  let stdout = ''

  beforeAll(async () => {
    const [a, b] = [tempDir(), tempDir()]
    const runA = await runCli(['scan', '--mode', 'smoke', '--output-dir', a, '--json'])
    const runB = await runCli(['scan', '--mode', 'smoke', '--output-dir', b, '--json'])
    expect(runA.exitCode).toBe(0)
    expect(runB.exitCode).toBe(0)
    stdout = runA.stdout
    first = readRun(a)
    second = readRun(b)
  })

  test('behavior: same input, same artifacts (except timestamps)', () => {
    expect(withoutTimestamps(first.snapshots)).toEqual(withoutTimestamps(second.snapshots))
    expect(withoutTimestamps(first.histograms)).toEqual(withoutTimestamps(second.histograms))
    expect(withoutTimestamps(first.truths)).toEqual(withoutTimestamps(second.truths))
  })

  test('behavior: --json prints exactly the truth report on stdout', () => {
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toEqual(first.truths[0])
  })

  test('behavior: smoke is labelled synthetic, execution disabled everywhere', () => {
    const truth = first.truths[0]
    expect(truth.run_mode).toBe('SMOKE_SIMULATOR')
    expect(truth.synthetic).toBe(true)
    expect(truth.quote_source).toBe('fixture')
    expect(truth.execution_enabled).toBe(false)
    expect(truth.stats.execution_ready_count).toBe(0)
    expect(truth.top_opportunities.length).toBeGreaterThan(0)
    for (const opportunity of first.snapshots[0].opportunities) {
      expect(opportunity.execution_blockers).toEqual(['SMOKE_MODE_NO_EXECUTION'])
      expect(opportunity.is_execution_ready).toBe(false)
      // net = gross - gas, exactly, in base units
      expect(BigInt(opportunity.net_profit)).toBe(BigInt(opportunity.gross_profit) - BigInt(opportunity.gas_cost))
      expect(BigInt(opportunity.gross_profit)).toBe(BigInt(opportunity.sell.amount_out) - BigInt(opportunity.buy.amount_in))
    }
  })

  test('behavior: every reject is counted once in histogram and gate_breakdown', () => {
    const snapshot = first.snapshots[0]
    const histogram = first.histograms[0]
    const truth = first.truths[0]
    const byCode: Record<string, number> = {}
    for (const reject of snapshot.rejects) byCode[reject.code] = (byCode[reject.code] ?? 0) + 1
    expect(histogram.by_code).toEqual(byCode)
    const buckets = Object.values(truth.health.gate_breakdown as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(buckets).toBe(snapshot.rejects.length)
    // The seeded market exercises these gates.
    for (const code of ['PNL_NEGATIVE', 'PNL_BELOW_THRESHOLD', 'SLIPPAGE_TOO_HIGH', 'PRICE_SANITY_FAILED', 'POOL_NO_LIQUIDITY']) {
      expect(byCode[code] ?? 0).toBeGreaterThan(0)
    }
  })

  test('behavior: artifacts validate against the CLI-printed JSON Schema (independent validator)', async () => {
    const printed = await runCli(['schema'])
    expect(printed.exitCode).toBe(0)
    const schemas = JSON.parse(printed.stdout) as Record<string, object>
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    const check = (name: string, value: unknown) => {
      const validate = ajv.compile(schemas[name]!)
      const ok = validate(value)
      if (!ok) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`)
    }
    check('scan_snapshot', first.snapshots[0])
    check('reject_histogram', first.histograms[0])
    check('truth_report', first.truths[0])
    for (const line of first.log) check('scan_log_line', line)
    // ...and the same schema refuses a broken artifact.
    expect(() => check('truth_report', { ...first.truths[0], stats: { ...first.truths[0].stats, execution_ready_count: -1 } })).toThrow()
    expect(() => check('truth_report', { ...first.truths[0], execution_blocker: 'NOT_A_BLOCKER' })).toThrow()
    expect(() => check('truth_report', { ...first.truths[0], surprise: true })).toThrow()
  })
})
