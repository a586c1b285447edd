import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, runCli } from '../helpers/cli.ts'
import { dumpDom, screenshot } from '../helpers/browser.ts'
import { startWatchRun, type WatchRun } from '../helpers/watchRun.ts'
import { truthReportFiles } from '../../lib/report/outputDir.ts'

/** Screenshots are kept as test artifacts (data/ is git-ignored). */
const ARTIFACTS = join(ROOT, 'data', 'test-artifacts')

const attr = (dom: string, id: string, name: string) => new RegExp(`id="${id}"[^>]*data-${name}="(\\d+)"|data-${name}="(\\d+)"[^>]*id="${id}"`).exec(dom)?.slice(1).find(Boolean)
const textOf = (dom: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(dom)?.[1]

function truthsOf(dir: string): { cycle: number; current_block: number; top_opportunities: { id: string }[]; stats: { opportunities: number } }[] {
  return truthReportFiles(dir).map((f) => JSON.parse(readFileSync(join(dir, 'reports', f), 'utf8')))
}

describe('the dashboard in a real browser', () => {
  let run: WatchRun
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    run = await startWatchRun([], { cycles: 5 })
  }, 60_000)
  afterAll(async () => {
    await run?.stop()
  })

  test('behavior: the live page shows the run\'s latest cycle, its opportunity table and three charts drawn from the run\'s history', async () => {
    const dom = await dumpDom(`${run.url}/`)
    const truths = truthsOf(run.dir)
    const block = Number(textOf(dom, 'block'))
    const shown = truths.find((t) => t.current_block === block)
    expect(shown).toBeDefined()
    expect(textOf(dom, 'status')).toBe('live')
    // The table: one row per top opportunity of that cycle, by id, in order.
    const ids = [...dom.matchAll(/<tr data-id="([^"]+)">/g)].map((m) => m[1]!.replaceAll('&gt;', '>'))
    expect(ids).toEqual(shown!.top_opportunities.map((o) => o.id))
    expect(textOf(dom, 'opportunities')).toBe(String(shown!.stats.opportunities))
    // Charts: uPlot drew into each (a canvas), over as many cycles as the history holds.
    for (const id of ['chart-routes', 'chart-latency', 'chart-rejects']) {
      expect(dom).toMatch(new RegExp(`id="${id}"[\\s\\S]*?<canvas`))
      expect(Number(attr(dom, id, 'points'))).toBeGreaterThanOrEqual(5)
    }
    expect(Number(attr(dom, 'chart-routes', 'series'))).toBeGreaterThan(0)
    const path = join(ARTIFACTS, 'dashboard-live.png')
    await screenshot(`${run.url}/`, path)
    expect(statSync(path).size).toBeGreaterThan(20_000)
  }, 120_000)

  test('behavior: `arby report --from DIR` writes the same page as one static file with the run\'s numbers embedded', async () => {
    const code = await run.stop()
    expect([0, 143]).toContain(code)
    const result = await runCli(['report', '--from', run.dir])
    expect(result.exitCode).toBe(0)
    const file = join(run.dir, 'report.html')
    expect(result.stdout.trim()).toBe(file)
    const html = readFileSync(file, 'utf8')
    expect(html).not.toMatch(/<script[^>]+src=/)
    const cyclesLogged = readFileSync(join(run.dir, 'scan.log'), 'utf8').split('\n').filter((l) => l.includes('"cycle.done"')).length
    const dom = await dumpDom(`file://${file}`, 2_000)
    expect(textOf(dom, 'status')).toBe(`report of ${run.dir}`)
    expect(textOf(dom, 'history-size')).toBe(String(cyclesLogged))
    const last = truthsOf(run.dir).at(-1)!
    expect(textOf(dom, 'block')).toBe(String(last.current_block))
    expect([...dom.matchAll(/<tr data-id="([^"]+)">/g)].map((m) => m[1]!.replaceAll('&gt;', '>'))).toEqual(last.top_opportunities.map((o) => o.id))
    expect(Number(attr(dom, 'chart-latency', 'points'))).toBe(cyclesLogged)
    await screenshot(`file://${file}`, join(ARTIFACTS, 'dashboard-report.png'), 2_000)
  }, 120_000)
})
