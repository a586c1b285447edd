import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config/load.ts'
import { OpportunityLedger } from '../../lib/report/ledger.ts'
import { ScanLog } from '../../lib/report/write.ts'
import { runCycles, type CycleSource } from '../../lib/scan/run.ts'
import type { CycleInput } from '../../lib/scan/types.ts'
import { runCli, tempDir } from '../helpers/cli.ts'
import { cycleInput, wethUsdcMarket } from '../scan/fixtures.ts'

const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
/** `gapAt`: a block where sushiswap buys 0.1 WETH for `usdc` (an opportunity when above 300.5078). */
const { TENTH, USDC, gapAt } = wethUsdcMarket(config)

function source(inputs: CycleInput[]): CycleSource {
  return { readCycle: async (cycle) => ({ ...inputs[cycle - 1]!, cycle }), close: async () => {} }
}

describe('the opportunity ledger', () => {
  test('behavior: a route standing in consecutive cycles is one episode (first and last block, cycles, best net and its size); a cycle without it closes it; a void cycle changes nothing', async () => {
    const dir = tempDir()
    const ledger = OpportunityLedger.open(join(dir, 'opportunities.sqlite'), { decimals: new Map([['WETH', 18], ['USDC', 6]]) })
    const inputs = [gapAt(100, 302n * USDC), gapAt(101, 303n * USDC), cycleInput([], { block: 0, pinError: 'down' }), gapAt(103, 301n * USDC), gapAt(104, 300n * USDC), gapAt(106, 304n * USDC)]
    await runCycles({ config, source: source(inputs), cycles: inputs.length, outputDir: dir, log: new ScanLog(dir), ledger })
    const episodes = ledger.episodes().reverse()
    expect(episodes.map((e) => [e.route, e.first_block, e.last_block, e.blocks, e.cycles, e.best_net, e.best_size, e.open])).toEqual([
      // 100, 101, (void), 103: one episode; 104 has no gap: closed.
      ['WETH/USDC|uniswap_v3:500>sushiswap_v3:3000', 100, 103, 4, 3, (3n * USDC - 7_800n).toString(), TENTH.toString(), false],
      ['WETH/USDC|uniswap_v3:500>sushiswap_v3:3000', 106, 106, 1, 1, (4n * USDC - 7_800n).toString(), TENTH.toString(), true],
    ])
    expect(episodes[0]!.best_net_usd).toBeCloseTo(2.9922, 6)
    expect([episodes[0]!.base, episodes[0]!.quote, episodes[0]!.base_decimals, episodes[0]!.quote_decimals]).toEqual(['WETH', 'USDC', 18, 6])
    expect([episodes[0]!.simulated, episodes[0]!.sim_passed]).toEqual([false, false])
    expect(ledger.openSince()).toEqual(new Map([['WETH/USDC|uniswap_v3:500>sushiswap_v3:3000', { firstBlock: 106, cycles: 1 }]]))
    expect(ledger.episodes({ route: 'nope' })).toEqual([])
    ledger.close()

    const printed = await runCli(['ledger', '--from', dir, '--json'])
    expect((JSON.parse(printed.stdout) as { first_block: number }[]).map((e) => e.first_block)).toEqual([106, 100])
    const text = await runCli(['ledger', '--from', dir])
    expect(text.stdout).toContain('WETH/USDC|uniswap_v3:500>sushiswap_v3:3000')
    expect(text.stdout).toContain('2.9922 USDC')
    const missing = await runCli(['ledger', '--from', tempDir()])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('LEDGER_MISSING')
  })
})
