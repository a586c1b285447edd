import { readFileSync } from 'node:fs'
import { bundleBrowser } from '../bundle.ts'

const APP = new URL('./web/app.ts', import.meta.url).pathname
const UPLOT_CSS = new URL('../../node_modules/uplot/dist/uPlot.min.css', import.meta.url).pathname
let script: Promise<string> | null = null

/** `</script>` inside inline JSON or code would end the tag early. */
function inline(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1')
}

/**
 * The dashboard page, self-contained (script and styles inlined). Live, it polls the operator's
 * port; with `data` (a static report) it renders that and fetches nothing.
 */
export async function dashboardHtml(data?: unknown): Promise<string> {
  const code = await (script ??= bundleBrowser(APP))
  const css = readFileSync(UPLOT_CSS, 'utf8')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ARBY dashboard</title>
<style>${css}
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#111}h1{font-size:18px;margin:0 0 8px}
.stats{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}.stats div{background:#f3f4f6;padding:6px 10px;border-radius:6px}
.stats b{display:block;font-size:16px}table{border-collapse:collapse;margin-bottom:16px}td,th{padding:3px 8px;border-bottom:1px solid #e5e7eb;text-align:right}
td:first-child,th:first-child{text-align:left}.chart{margin-bottom:12px;width:100%;max-width:1100px}#status{color:#6b7280}</style>
</head><body>
<h1>ARBY · <span id="status">loading</span></h1>
<div class="stats">
<div>block<b id="block">-</b></div><div>block age<b id="age">-</b></div><div>cycle<b id="cycle">-</b></div><div>latency<b id="latency">-</b></div>
<div>skipped blocks<b id="skipped">-</b></div><div>opportunities<b id="opportunities">-</b></div><div>rejects<b id="rejects">-</b></div><div>execution<b id="execution">-</b></div>
<div>cycles charted<b id="history-size">0</b></div>
</div>
<table id="opportunities-table"><thead><tr><th>route</th><th>size</th><th>net profit</th><th>usd</th><th>gross bps</th><th>net bps</th><th>blocks alive</th></tr></thead><tbody id="opportunity-rows"></tbody></table>
<div class="chart" id="chart-routes"></div><div class="chart" id="chart-latency"></div><div class="chart" id="chart-rejects"></div>
${data === undefined ? '' : `<script id="arby-data" type="application/json">${inline(JSON.stringify(data))}</script>`}
<script type="module">${inline(code)}</script>
</body></html>
`
}
