/**
 * The dashboard in the browser: the latest cycle, its opportunity table and three charts (best
 * net profit per route over blocks, cycle latency, rejects by code), from the operator's port
 * (polled every second) or, in a static report, from the data embedded in the page.
 */
import uPlot from 'uplot'

type Top = { id: string; route: string; size_display: string; net_display: string; net_usd: number | null; gross_bps: number; net_bps: number | null; blocks_alive: number | null }
type Latest = { cycle: number; block: number; block_timestamp: number | null; elapsed_ms: number; skipped_blocks: number; opportunities: number; rejects: number; top: Top[]; execution: { mode: string; trade: { id: string; state: string } | null; kill: string | null } | null }
type Point = { cycle: number; block: number; elapsed_ms: number; opportunities: number; rejects: number; best_net_usd: number | null; routes: Record<string, number>; rejects_by_code: Record<string, number> }
type Embedded = { title: string; latest: Latest | null; history: Point[]; episodes?: { route: string; first_block: number; last_block: number; cycles: number; best_net_usd: number | null }[] }

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d']
const $ = (id: string) => document.getElementById(id)!

function text(id: string, value: string): void {
  $(id).textContent = value
}

function renderLatest(latest: Latest | null): void {
  if (!latest) return
  text('block', String(latest.block))
  text('age', latest.block_timestamp === null ? '-' : `${Math.max(0, Date.now() / 1000 - latest.block_timestamp).toFixed(1)} s`)
  text('cycle', String(latest.cycle))
  text('latency', `${latest.elapsed_ms} ms`)
  text('skipped', String(latest.skipped_blocks))
  text('opportunities', String(latest.opportunities))
  text('rejects', String(latest.rejects))
  text('execution', latest.execution ? `${latest.execution.mode}${latest.execution.trade ? ` · ${latest.execution.trade.id} ${latest.execution.trade.state}` : ''}${latest.execution.kill ? ` · KILL: ${latest.execution.kill}` : ''}` : 'off')
  const body = $('opportunity-rows')
  body.replaceChildren(...latest.top.map((o) => {
    const row = document.createElement('tr')
    row.dataset.id = o.id
    for (const cell of [o.route, o.size_display, o.net_display, o.net_usd === null ? '-' : `$${o.net_usd.toFixed(2)}`, o.gross_bps.toFixed(1), o.net_bps === null ? '-' : o.net_bps.toFixed(1), o.blocks_alive === null ? '-' : String(o.blocks_alive)]) {
      const td = document.createElement('td')
      td.textContent = cell
      row.append(td)
    }
    return row
  }))
}

const charts = new Map<string, uPlot>()

function chart(id: string, title: string, names: string[], data: uPlot.AlignedData, yLabel: string): void {
  const el = $(id)
  const series: uPlot.Series[] = [{ label: 'block' }, ...names.map((name, i) => ({ label: name, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))]
  const key = `${id}:${names.join(',')}`
  const existing = charts.get(id)
  if (existing && existing.series.length === series.length && el.dataset.key === key) {
    existing.setData(data)
  } else {
    existing?.destroy()
    el.dataset.key = key
    const blockAxis: uPlot.Axis = { label: 'block', space: 90, values: (_, ticks) => ticks.map((t) => String(Math.round(t))) }
    charts.set(id, new uPlot({ title, width: Math.max(320, el.clientWidth || 900), height: 240, series, axes: [blockAxis, { label: yLabel }], scales: { x: { time: false } } }, data, el))
  }
  el.dataset.points = String(data[0].length)
  el.dataset.series = String(names.length)
}

function renderHistory(points: Point[]): void {
  const blocks = points.map((p) => p.block)
  const routes = [...new Set(points.flatMap((p) => Object.keys(p.routes)))].sort()
  chart('chart-routes', 'best net profit per route (USD)', routes, [blocks, ...routes.map((route) => points.map((p) => p.routes[route] ?? null))], 'USD')
  chart('chart-latency', 'cycle latency (ms)', ['latency'], [blocks, points.map((p) => p.elapsed_ms)], 'ms')
  const codes = [...new Set(points.flatMap((p) => Object.keys(p.rejects_by_code)))].sort()
  chart('chart-rejects', 'rejects by code', codes, [blocks, ...codes.map((code) => points.map((p) => p.rejects_by_code[code] ?? 0))], 'rejects')
  text('history-size', String(points.length))
}

async function poll(): Promise<void> {
  try {
    const [latest, history] = await Promise.all([fetch('/api/latest').then((r) => r.json()), fetch('/api/history').then((r) => r.json())])
    renderLatest((latest as { latest: Latest | null }).latest)
    renderHistory(history as Point[])
    $('status').textContent = 'live'
  } catch {
    $('status').textContent = 'disconnected'
  }
  setTimeout(poll, 1000)
}

const embedded = document.getElementById('arby-data')
if (embedded?.textContent) {
  const data = JSON.parse(embedded.textContent) as Embedded
  renderLatest(data.latest)
  renderHistory(data.history)
  $('status').textContent = `report of ${data.title}`
} else {
  void poll()
}
