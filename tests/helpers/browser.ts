/**
 * Headless Chromium (Debian's `chromium`, installed by .ci/run when missing) for the dashboard
 * tests: the DOM after the page's scripts ran (virtual time lets its polling and charts settle),
 * and a screenshot.
 */
import { existsSync } from 'node:fs'
import { runProcess } from '../../lib/proc.ts'

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => path && existsSync(path))
  if (!found) throw new Error('headless Chromium is needed for the dashboard tests: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH')
  return found
}

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--hide-scrollbars', '--window-size=1280,1800']

export async function dumpDom(url: string, budgetMs = 4_000): Promise<string> {
  const result = await runProcess([chromiumPath(), ...FLAGS, `--virtual-time-budget=${budgetMs}`, '--dump-dom', url], { timeoutMs: 60_000 })
  if (result.exitCode !== 0 && !result.stdout) throw new Error(`chromium failed (${result.exitCode}): ${result.stderr.slice(-500)}`)
  return result.stdout
}

export async function screenshot(url: string, path: string, budgetMs = 4_000): Promise<void> {
  const result = await runProcess([chromiumPath(), ...FLAGS, `--virtual-time-budget=${budgetMs}`, `--screenshot=${path}`, url], { timeoutMs: 60_000 })
  if (!existsSync(path)) throw new Error(`chromium wrote no screenshot (${result.exitCode}): ${result.stderr.slice(-500)}`)
}
