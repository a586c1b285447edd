import { describe, expect, test } from 'bun:test'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, parseConfigText } from '../../lib/config/load.ts'
import { runProcess } from '../../lib/proc.ts'
import { ROOT, runCli, tempDir } from '../helpers/cli.ts'

const arbitrum = readFileSync(new URL('../../config/arbitrum.yaml', import.meta.url), 'utf8')
const lineOf = (needle: string, text = arbitrum) => text.split('\n').findIndex((line) => line.includes(needle)) + 1

function refusal(text: string): ConfigError {
  try {
    parseConfigText('bad.yaml', text)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('config was accepted')
}

describe('config refuses what would double-count or lie', () => {
  test.each([
    ['a fee tier listed twice', arbitrum.replace('fee_tiers: [500, 3000]\n  sushiswap_v3', 'fee_tiers: [500, 3000, 500]\n  sushiswap_v3'), 'dexes.uniswap_v3.fee_tiers[2]', 'fee tier 500 is listed twice'],
    ['a pair listed twice', arbitrum.replace('  - { base: WETH, quote: USDT,', '  - { base: WETH, quote: USDC, sizes: ["2"], anchor: "uniswap_v3:500" }\n  - { base: WETH, quote: USDT,'), 'pairs[1]', 'the same pair as pairs[0]'],
    ['a pair listed reversed', arbitrum.replace('  - { base: WETH, quote: USDT,', '  - { base: USDC, quote: WETH, sizes: ["2"], anchor: "uniswap_v3:500" }\n  - { base: WETH, quote: USDT,'), 'pairs[1]', 'the same pair as pairs[0]'],
    ['two venues on one factory', arbitrum.replace('factory: "0x1af415a1EbA07a4986a52B6f2e7dE7003D82231e"', 'factory: "0x1F98431c8aD98523631AE4a59f267346ea31F984"'), 'dexes.sushiswap_v3.factory', 'the same factory as dex uniswap_v3'],
    ['one address under two symbols', arbitrum.replace('ARB:  { address: "0x912CE59144191C1204E64559FE8253a0e49E6548"', 'ARB:  { address: "0x2f2a2543B76A4166549F7aaB2e75Bef0aefC5B0f"'), 'tokens.ARB.address', 'the same address as token WBTC'],
    ['a size listed twice', arbitrum.replace('sizes: ["0.1", "1", "10"], anchor: "uniswap_v3:500", min_net_profit: "0.5" }', 'sizes: ["0.1", "1.0", "1"], anchor: "uniswap_v3:500", min_net_profit: "0.5" }'), 'pairs[0].sizes[2]', 'the same size as sizes[1] (1.0)'],
    ['an endpoint listed twice', arbitrum.replace('    - https://arbitrum.drpc.org', '    - https://arbitrum.drpc.org\n    - https://arbitrum.drpc.org'), 'rpc.endpoints[3]', 'the same endpoint as rpc.endpoints[2]'],
    ['a mixed-case address with a wrong checksum', arbitrum.replace('0x82aF49447D8a07e3bd95BD0d56f35241523fBab1', '0x82aF49447D8a07e3bd95BD0d56f35241523fBaB1'), 'tokens.WETH.address', 'wrong EIP-55 checksum'],
    ['the zero address for a contract', arbitrum.replace('multicall3: "0xcA11bde05977b3631167028862bE2a173976CA11"', 'multicall3: "0x0000000000000000000000000000000000000000"'), 'contracts.multicall3', 'must not be the zero address'],
    ['a timeout beyond any timer', arbitrum.replace('timeout_ms: 10000', 'timeout_ms: 99999999999999999999'), 'rpc.timeout_ms', 'must be <= 600000'],
    ['a negative fee', arbitrum.replace('    fee: 3000\n', '    fee: -3000\n'), 'dexes.uniswap_v2.fee', 'must be >= 0'],
    ['a fractional retry count', arbitrum.replace('retries: 3', 'retries: 2.5'), 'rpc.retries', 'must be a whole number'],
    ['a chunk over the eth_call gas cap', arbitrum.replace('batch_size: 40 ', 'batch_size: 100 '), 'rpc.batch_size', 'exceeds the 50000000 eth_call cap'],
    ['an RPC URL with port 99999', arbitrum.replace('https://arb1.arbitrum.io/rpc', 'http://127.0.0.1:99999/'), 'rpc.endpoints[0]', 'is not a valid URL'],
    ['a key twice in one mapping', arbitrum.replace('  retries: 3\n', '  retries: 3\n  retries: 4\n'), 'rpc.retries', 'key appears twice in the same mapping'],
    ['a liquidity floor finer than its token', arbitrum.replace('USDC: { address: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", decimals: 6, usd: true }', 'USDC: { address: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", decimals: 6, usd: true, min_liquidity: "1.0000001" }'), 'tokens.USDC.min_liquidity', 'has 7 decimals, the token has 6'],
    ['a depth size of 0 bps', arbitrum.replace('report:\n', 'universe: { pairs: all, depth_sizes_bps: [10, 0] }\nreport:\n'), 'universe.depth_sizes_bps[1]', 'must be'],
    ['an unknown universe mode', arbitrum.replace('report:\n', 'universe: { pairs: everything }\nreport:\n'), 'universe.pairs', 'must be configured, tokens or all'],
    ['a size beyond int256', arbitrum.replace('sizes: ["0.01", "0.1", "1"]', `sizes: ["0.01", "0.1", "${'9'.repeat(70)}"]`), 'pairs[2].sizes[2]', 'beyond what a swap can carry'],
  ])('error: %s', (_, text, path, message) => {
    const error = refusal(text)
    expect(error.issues[0]!.path).toBe(path)
    expect(error.issues[0]!.message).toContain(message)
    expect(error.exitCode).toBe(2)
  })

  test('behavior: errors point at the offending line and column', () => {
    const error = refusal(arbitrum.replace('  retries: 3\n', '  retries: 3\n  retries: 4\n'))
    expect(error.issues[0]!.position).toBe(`${lineOf('retries: 3') + 1}:3`)
    expect(error.message).toBe(`bad.yaml:${lineOf('retries: 3') + 1}:3 rpc.retries: key appears twice in the same mapping`)
  })

  test('behavior: an all-lower-case address is still accepted (no checksum to check)', () => {
    expect(() => parseConfigText('ok.yaml', arbitrum.replace('0x82aF49447D8a07e3bd95BD0d56f35241523fBab1', '0x82af49447d8a07e3bd95bd0d56f35241523fbab1'))).not.toThrow()
  })
})

describe('config files that are not configs are answered at once', () => {
  const check = (path: string) => runCli(['config', 'check', '--config', path])

  test.each([
    ['/dev/zero', 'CONFIG_NOT_A_FILE', 'is not a regular file'],
    ['/tmp', 'CONFIG_NOT_A_FILE', 'is a directory'],
    ['/nonexistent/arby.yaml', 'CONFIG_NOT_FOUND', 'does not exist'],
  ])('error: %p', async (path, code, message) => {
    const started = performance.now()
    const result = await check(path)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`${code}: config file ${path} ${message}`)
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  test('error: a 50 MB file is refused by its size, unread', async () => {
    const path = join(tempDir(), 'huge.yaml')
    writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 'a: 1\n'))
    const result = await check(path)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('CONFIG_TOO_LARGE')
  })

  test('error: a binary file shows a short escaped excerpt, no raw bytes', async () => {
    const path = join(tempDir(), 'binary.yaml')
    writeFileSync(path, Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)))
    const result = await check(path)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('CONFIG_NOT_TEXT')
    expect(result.stderr).toContain('\\u0000\\u0001')
    expect(result.stderr.length).toBeLessThan(600)
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000e-\u001f]/)
  })

  test('error: a YAML alias bomb is bad input (exit 2), not a crash', async () => {
    const path = join(tempDir(), 'bomb.yaml')
    writeFileSync(path, ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n'))
    const result = await check(path)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('too many alias expansions')
  })

  test('behavior: the size limit sits where parsing is still fast: a file one byte over 256 KiB is refused unread, one at it is parsed', async () => {
    const dir = tempDir()
    const over = join(dir, 'over.yaml')
    const at = join(dir, 'at.yaml')
    writeFileSync(over, Buffer.alloc(256 * 1024 + 1, 'a'))
    writeFileSync(at, Buffer.alloc(256 * 1024, 'a'))
    expect((await check(over)).stderr).toContain('CONFIG_TOO_LARGE')
    expect((await check(at)).stderr).toContain('CONFIG_INVALID')
  })

  test('error: absurd nesting is a config error at 1:1, not a crash', async () => {
    const path = join(tempDir(), 'deep.yaml')
    writeFileSync(path, '['.repeat(100_000))
    const result = await check(path)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/CONFIG_INVALID: .*deep\.yaml:1:1 \(yaml\)/)
  })

  test('error: a config the user may not read says "permission denied", not "not found"', async () => {
    const dir = tempDir()
    const path = join(dir, 'secret.yaml')
    writeFileSync(path, arbitrum)
    chmodSync(path, 0o600)
    // As an unprivileged user (root reads anything).
    const argv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'run', join(ROOT, 'cmd/main.ts'), 'config', 'check', '--config', path]
    const result = await runProcess(argv, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' }, timeoutMs: 30_000 })
    if (result.stderr.includes('setpriv:')) return console.warn(`setpriv unavailable: ${result.stderr.trim()}`)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`CONFIG_UNREADABLE: config file ${path}: permission denied`)
  })
})
