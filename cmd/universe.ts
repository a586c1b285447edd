import { defineCommand } from 'citty'
import { withExitCode } from '../lib/cli/errors.ts'
import { runCli } from '../lib/cli/runCli.ts'
import { InputError } from '../lib/errors.ts'
import { setLogLevel } from '../lib/log.ts'
import { table } from '../lib/report/table.ts'
import { DEFAULT_CONFIG } from '../lib/scan/scanJob.ts'
import { universeJob } from '../lib/universe/job.ts'
import { commonArgs } from './_args.ts'

const command = defineCommand({
  meta: { name: 'universe', description: 'The pools the configured factories created between tokens of interest, from their creation events (cached: a rerun reads only new blocks).' },
  args: {
    ...commonArgs,
    config: { ...commonArgs.config, alias: 'f', description: `Config YAML (factories and tokens of interest). Default ${DEFAULT_CONFIG.real}.` },
    rpc: { type: 'string', description: 'RPC URL(s), comma-separated; overrides ARBY_RPC_URLS and the config.', valueHint: 'url' },
    devnet: { type: 'boolean', default: false, description: 'Start the embedded devnet (seeded fresh: its logs are needed) and read it.' },
    'from-block': { type: 'string', description: 'Where a factory never read before starts (its deployment block); default universe.from_block (0: the whole history), the devnet\'s genesis with --devnet.', valueHint: 'n' },
    cache: { type: 'string', description: 'The cache (sqlite). Default universe.cache, else data/universe/chain-<id>.sqlite.', valueHint: 'file' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    if (args['from-block'] !== undefined && !/^\d+$/.test(args['from-block'])) throw new InputError('FROM_BLOCK_INVALID', `--from-block must be a block number, got "${args['from-block']}"`, { hint: 'e.g. --from-block 165' })
    const result = await universeJob({
      configPath: args.config ?? DEFAULT_CONFIG.real,
      rpc: args.rpc ? args.rpc.split(',') : [],
      devnet: args.devnet,
      fromBlock: args['from-block'] === undefined ? null : BigInt(args['from-block']),
      cachePath: args.cache ?? null,
    })
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      return
    }
    const rows = result.pools.map((p) => [p.pair, p.venue, p.address, String(p.block)])
    const found = result.discovered
    process.stdout.write([
      `chain ${result.chain_id} · block ${result.block} · ${result.created} pools ${result.universe === 'all' ? 'created' : 'between tokens of interest'}, ${result.pools.length} on ${found ? 'the pairs a scan would trade' : 'configured pairs'} and venues`,
      `${result.requests} eth_getLogs (${result.refusals} refused as too wide), ${result.blocks_read} blocks read this time · cache ${result.cache}`,
      '',
      ...(rows.length ? table(['pair', 'venue', 'pool', 'created at'], rows) : ['no pool of interest']),
      ...(found ? ['', ...table(['pair (as a scan would trade)', 'anchor', 'sizes (base units)', 'tokens not listed'], found.pairs.map((p) => [p.pair, p.anchor, p.sizes.join(', '), p.tokens_not_listed.join(', ') || '-'])), ...found.skipped.map((s) => `not scanned: ${s}`)] : []),
    ].join('\n') + '\n')
  }),
})

export default command
if (import.meta.main) await runCli(command)
