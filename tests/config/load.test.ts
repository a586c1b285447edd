import { describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseConfigText } from '../../lib/config/load.ts'
import { runCli, tempDir } from '../helpers/cli.ts'

const arbitrum = readFileSync(new URL('../../config/arbitrum.yaml', import.meta.url), 'utf8')

function issueOf(text: string): ConfigError {
  try {
    parseConfigText('bad.yaml', text)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('config was accepted')
}

describe('config', () => {
  test('default: the shipped configs load with exact base-unit sizes', () => {
    for (const file of ['arbitrum.yaml', 'real_minimal.yaml', 'smoke.yaml']) {
      const config = loadConfig(join(new URL('../../config', import.meta.url).pathname, file))
      expect(config.chain.chainId).toBe(42_161)
      expect(config.pairs.length).toBeGreaterThan(0)
    }
    const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
    const weth = config.pairs.find((p) => p.name === 'WETH/USDC')!
    expect(weth.sizes).toEqual([10n ** 17n, 10n ** 18n, 10n ** 19n])
    expect(weth.minNetProfit).toBe(500_000n)
    expect(config.venues.map((v) => v.key)).toContain('sushiswap_v3:3000')
  })

  test('error: a typo in a key names the key and its line:col', () => {
    const error = issueOf(arbitrum.replace('  timeout_ms: 10000', '  timeout_msec: 10000'))
    const line = arbitrum.split('\n').findIndex((l) => l.startsWith('  timeout_ms:')) + 1
    expect(error.message).toBe(`bad.yaml:${line}:3 rpc.timeout_msec: unknown key (typo?)`)
    expect(error.exitCode).toBe(2)
  })

  test('error: a float amount is refused with its position', () => {
    const error = issueOf(arbitrum.replace('sizes: ["0.1", "1", "10"], anchor: "uniswap_v3:500", min_net_profit: "0.5" }', 'sizes: [0.1, "1", "10"], anchor: "uniswap_v3:500", min_net_profit: "0.5" }'))
    expect(error.issues[0]!.path).toBe('pairs[0].sizes[0]')
    expect(error.message).toContain('no floats for money')
  })

  test('error: more decimals than the token has', () => {
    const error = issueOf(arbitrum.replace('base: WBTC, quote: WETH, sizes: ["0.01"', 'base: WBTC, quote: WETH, sizes: ["0.000000001"'))
    expect(error.message).toContain('pairs[2].sizes[0]: has 9 decimals, the token has 8')
  })

  test('error: an anchor that is not a venue', () => {
    const error = issueOf(arbitrum.replace('anchor: "uniswap_v3:500", min_net_profit: "0.5" }', 'anchor: "camelot:500", min_net_profit: "0.5" }'))
    expect(error.issues[0]!.path).toBe('pairs[0].anchor')
  })

  test('error: YAML syntax errors carry line:col', () => {
    const error = issueOf('chain:\n  name: x\n   bad: [\n')
    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+ \(yaml\): /)
  })

  test('behavior: `config check` on a broken file exits 2 with file:line:col and no stack trace', async () => {
    const dir = tempDir()
    const file = join(dir, 'broken.yaml')
    writeFileSync(file, arbitrum.replace('chain_id: 42161', 'chain_id: "42161"'))
    const result = await runCli(['config', 'check', '--config', file])
    expect(result.exitCode).toBe(2)
    const line = arbitrum.split('\n').findIndex((l) => l.includes('chain_id: 42161')) + 1
    expect(result.stderr).toContain(`${file}:${line}:13 chain.chain_id: must be a number`)
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    expect(result.stdout).toBe('')
  })

  test('behavior: `config check` prints a summary of a valid file', async () => {
    const result = await runCli(['config', 'check', '--config', 'config/real_minimal.yaml'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('✓ config/real_minimal.yaml is valid')
    expect(result.stdout).toContain('pair WETH/USDC: sizes 0.1, 1 · anchor uniswap_v3:500')
  })

  test('error: a missing config file exits 2', async () => {
    const result = await runCli(['scan', '--mode', 'smoke', '--config', 'nope.yaml'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('CONFIG_NOT_FOUND')
  })
})
