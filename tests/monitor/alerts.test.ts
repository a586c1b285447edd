import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config/load.ts'
import { AlertRules, AlertSender } from '../../lib/monitor/alerts.ts'
import { ScanLog } from '../../lib/report/write.ts'
import { runCycles, type CycleOutcome, type CycleSource } from '../../lib/scan/run.ts'
import type { CycleInput } from '../../lib/scan/types.ts'
import { runCli, tempDir } from '../helpers/cli.ts'
import { cycleInput, wethUsdcMarket } from '../scan/fixtures.ts'

const BOT_TOKEN = '123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ'
const DISCORD_SECRET = 'discordSecretTokenXYZ987'

/** A loopback receiver standing in for a webhook, Discord and Telegram: records every POST. */
let received: { path: string; body: Record<string, unknown> }[] = []
let server: Server
let base = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => { raw += chunk })
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(raw) })
      res.writeHead(req.url?.startsWith('/fail') ? 500 : 200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => server.close())

const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
/** `gapAt`: sushi pays `usdc` for 0.1 WETH: net = usdc − 300 USDC − 0.0078 gas. */
const { TENTH, USDC, q, anchor, gapAt } = wethUsdcMarket(config)
const voidCycle = () => cycleInput([], { block: 0, pinError: 'every endpoint refused' })

async function run(inputs: CycleInput[], alerts: NonNullable<typeof config.alerts>, env: Record<string, string>): Promise<{ sender: AlertSender; log: string }> {
  const dir = tempDir()
  const sender = new AlertSender(alerts, env, (message) => log.write('warn', 'alert.failed', message))
  const rules = new AlertRules(alerts)
  const log = new ScanLog(dir)
  const source: CycleSource = { readCycle: async (cycle) => ({ ...inputs[cycle - 1]!, cycle }), close: async () => {} }
  await runCycles({ config, source, cycles: inputs.length, outputDir: dir, log, onCycle: (outcome: CycleOutcome) => sender.send(rules.onCycle(outcome)) })
  await sender.flush()
  return { sender, log: readFileSync(join(dir, 'scan.log'), 'utf8') }
}

describe('alerts', () => {
  test('behavior: an opportunity above min_net_usd alerts once per route episode, to every target in its own format; a void streak alerts once', async () => {
    received = []
    const alerts = { targets: [{ kind: 'webhook' as const }, { kind: 'discord' as const }, { kind: 'telegram' as const, chat_id: '-100200', api: base }], min_net_usd: '5', void_streak: 2, max_per_minute: 100 }
    const env = { ARBY_WEBHOOK_URL: `${base}/hook?token=s3cr3tToken1`, ARBY_DISCORD_WEBHOOK_URL: `${base}/api/webhooks/1/${DISCORD_SECRET}`, ARBY_TELEGRAM_BOT_TOKEN: BOT_TOKEN }
    // $9.99 at 100 and 101 (one episode), $3 at 102 (below: the episode continues, silent), gone at 103, back at 104 (a new episode), then 2 void cycles.
    const inputs = [gapAt(100, 310n * USDC), gapAt(101, 311n * USDC), gapAt(102, 303n * USDC), gapAt(103, 300n * USDC), gapAt(104, 310n * USDC), voidCycle(), voidCycle(), voidCycle()]
    const { sender } = await run(inputs, alerts, env)
    // Deliveries run concurrently: compare in the order the alerts were raised (opportunities by block, the streak last).
    const order = (h: (typeof received)[number]) => (h.body.event === 'void_streak' ? Infinity : (h.body.data as { block: number }).block)
    const hooks = received.filter((r) => r.path.startsWith('/hook')).sort((a, b) => order(a) - order(b))
    expect(hooks.map((h) => [h.body.event, (h.body.data as { block?: number }).block ?? null])).toEqual([['opportunity', 100], ['opportunity', 104], ['void_streak', null]])
    expect(hooks[0]!.body).toMatchObject({ source: 'arby', event: 'opportunity', title: 'WETH/USDC uniswap_v3:500 → sushiswap_v3:3000: $9.99 net', data: { route: 'WETH/USDC|uniswap_v3:500>sushiswap_v3:3000', net_profit: '9992200', quote: 'USDC' } })
    expect(hooks[2]!.body).toMatchObject({ title: '2 void cycles in a row', data: { cycles: 2, reason: 'every endpoint refused' } })
    const discord = received.filter((r) => r.path === `/api/webhooks/1/${DISCORD_SECRET}`).sort((a, b) => String(a.body.content).localeCompare(String(b.body.content)))
    expect(discord).toHaveLength(3)
    expect(discord.find((d) => String(d.body.content).includes('block 100'))!.body).toEqual({ content: expect.stringMatching(/^\*\*WETH\/USDC uniswap_v3:500 → sushiswap_v3:3000: \$9\.99 net\*\*\nblock 100: /), allowed_mentions: { parse: [] } })
    const telegram = received.filter((r) => r.path === `/bot${BOT_TOKEN}/sendMessage`)
    expect(telegram).toHaveLength(3)
    expect(telegram.find((t) => String(t.body.text).includes('block 100'))!.body).toMatchObject({ chat_id: '-100200', text: expect.stringMatching(/^WETH\/USDC uniswap_v3:500 → sushiswap_v3:3000: \$9\.99 net\nblock 100/), disable_web_page_preview: true })
    expect(sender.counts).toEqual({ sent: 9, dropped: 0, failed: 0 })
  })

  test('behavior: at most max_per_minute alerts a minute; the rest are dropped and counted', async () => {
    received = []
    const alerts = { targets: [{ kind: 'webhook' as const }], min_net_usd: '1', void_streak: 1, max_per_minute: 2 }
    // Three routes at once (three alerts), then a void cycle (a fourth).
    const three = cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC), q('uniswap_v3:3000', 'sell', TENTH, 310n * USDC), q('uniswap_v2', 'sell', TENTH, 310n * USDC)], { block: 100 })
    const { sender } = await run([three, voidCycle()], alerts, { ARBY_WEBHOOK_URL: `${base}/hook` })
    expect(received).toHaveLength(2)
    expect(sender.counts).toEqual({ sent: 2, dropped: 2, failed: 0 })
  })

  test('error: a failing target is logged with its URL redacted and never stops the scan; its secret appears nowhere', async () => {
    received = []
    const alerts = { targets: [{ kind: 'discord' as const }], min_net_usd: '1', void_streak: 5, max_per_minute: 10 }
    const { sender, log } = await run([gapAt(100, 310n * USDC)], alerts, { ARBY_DISCORD_WEBHOOK_URL: `${base}/fail/${DISCORD_SECRET}` })
    expect(sender.counts).toEqual({ sent: 0, dropped: 0, failed: 1 })
    expect(log).toContain(`alert opportunity to discord (${base}/***) failed: HTTP 500`)
    expect(log.includes(DISCORD_SECRET)).toBe(false)
  })

  test('error: an alert target without its secret in the environment is refused before the scan starts (exit 2)', async () => {
    const path = join(tempDir(), 'alerts.yaml')
    writeFileSync(path, `${readFileSync('config/smoke.yaml', 'utf8')}\nalerts:\n  targets:\n    - kind: telegram\n      chat_id: "42"\n`)
    const dir = join(tempDir(), 'out')
    const result = await runCli(['scan', '-m', 'smoke', '-f', path, '-o', dir])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('ALERT_SECRET_MISSING: alerts target telegram needs ARBY_TELEGRAM_BOT_TOKEN in the environment')
  })
})
