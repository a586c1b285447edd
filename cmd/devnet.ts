import { defineCommand } from 'citty'
import { runCli } from '../lib/cli/runCli.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { describeDevnet } from '../lib/devnet/describe.ts'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { InputError } from '../lib/errors.ts'
import { log, setLogLevel } from '../lib/log.ts'
import { commonArgs } from './_args.ts'

const command = defineCommand({
  meta: { name: 'devnet', description: 'Run the embedded Arbitrum One devnet (anvil + real Uniswap/Sushi/Algebra bytecode at canonical addresses, synthetic market) until Ctrl-C.' },
  args: {
    port: { type: 'string', default: '0', description: 'Port on 127.0.0.1 (0 = any free port).', valueHint: 'port' },
    'block-time': { type: 'string', description: 'Seconds between blocks (e.g. 0.25 like Arbitrum); default: one block per transaction.', valueHint: 's' },
    state: { type: 'string', default: 'auto', valueHint: 'auto|fresh|file', description: 'auto: load the committed pre-seeded state (fast); fresh: deploy and seed from config/devnet.yaml; a file: keep the chain there across runs (written on Ctrl-C).' },
    json: { ...commonArgs.json, description: 'Print the RPC URL and deployed addresses as JSON on stdout.' },
    quiet: commonArgs.quiet,
    verbose: commonArgs.verbose,
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const port = Number(args.port)
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InputError('PORT_INVALID', `--port must be 0..65535, got "${args.port}"`)
    const blockTime = args['block-time'] === undefined ? undefined : Number(args['block-time'])
    if (blockTime !== undefined && !(blockTime > 0)) throw new InputError('BLOCK_TIME_INVALID', `--block-time must be > 0 seconds, got "${args['block-time']}"`)
    const started = performance.now()
    const devnet = await startDevnet({ port, blockTime, state: args.state })
    const description = await describeDevnet(devnet)
    if (args.json) process.stdout.write(`${JSON.stringify(description.json)}\n`)
    else process.stdout.write(`${devnet.url}\n`)
    log.info(`\n${description.text}`)
    log.ready(`devnet ready at ${devnet.url} in ${(performance.now() - started).toFixed(0)} ms (${devnet.source === 'seed' ? 'seeded from config/devnet.yaml' : args.state === 'auto' ? 'committed state' : `state file ${args.state}`}); Ctrl-C stops it`)
    await new Promise(() => {}) // until a signal: the exit hooks stop anvil
  }),
})

export default command

// `bun run cmd/devnet.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
