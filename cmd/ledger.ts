import { defineCommand } from 'citty'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseDuration } from '../lib/cli/duration.ts'
import { positiveInt } from '../lib/cli/numbers.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { runCli } from '../lib/cli/runCli.ts'
import { InputError } from '../lib/errors.ts'
import { setLogLevel } from '../lib/log.ts'
import { OpportunityLedger, type Episode } from '../lib/report/ledger.ts'
import { formatUnitsFixed } from '../lib/math/ratio.ts'
import { table } from '../lib/report/table.ts'
import { commonArgs } from './_args.ts'

const command = defineCommand({
  meta: { name: 'ledger', description: 'Route episodes of a run: how long each gap lived (blocks, cycles) and the best net profit it offered.' },
  args: {
    json: commonArgs.json, quiet: commonArgs.quiet, verbose: commonArgs.verbose,
    from: { type: 'string', required: true, description: 'The run directory (holding opportunities.sqlite).', valueHint: 'dir' },
    since: { type: 'string', description: 'Only episodes seen in this last period (e.g. 1h, 24h).', valueHint: 'age' },
    route: { type: 'string', description: 'Only this route (pair|buy>sell).', valueHint: 'route' },
    limit: { type: 'string', description: 'At most N episodes (newest first).', valueHint: 'n' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const path = join(args.from, 'opportunities.sqlite')
    if (!existsSync(path)) throw new InputError('LEDGER_MISSING', `no opportunity ledger in ${args.from}`, { hint: 'pass the output directory of a scan (-o DIR)' })
    const limit = args.limit === undefined ? undefined : positiveInt(args.limit, '--limit')
    const ledger = OpportunityLedger.open(path, { create: false })
    try {
      const episodes = ledger.episodes({ sinceIso: args.since ? new Date(Date.now() - parseDuration(args.since, '--since')).toISOString() : undefined, route: args.route, limit })
      process.stdout.write(args.json ? `${JSON.stringify(episodes, null, 2)}\n` : `${render(episodes)}\n`)
    } finally {
      ledger.close()
    }
  }),
})

function render(episodes: Episode[]): string {
  if (!episodes.length) return 'no opportunity episodes'
  return table(['route', 'first block', 'last block', 'blocks', 'cycles', 'best net', 'usd', 'at size', 'sim', 'state'], episodes.map((e) => [
    e.route, String(e.first_block), String(e.last_block), String(e.blocks), String(e.cycles), `${formatUnitsFixed(BigInt(e.best_net), e.quote_decimals)} ${e.quote}`,
    e.best_net_usd === null ? '-' : `$${e.best_net_usd.toFixed(2)}`, `${formatUnitsFixed(BigInt(e.best_size), e.base_decimals, 4)} ${e.base}`, e.sim_passed ? 'passed' : e.simulated ? 'failed' : '-', e.open ? 'open' : 'closed',
  ])).join('\n')
}

export default command

// `bun run cmd/ledger.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
