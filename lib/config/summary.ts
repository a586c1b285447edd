import { formatUnitsFixed } from '../math/ratio.ts'
import { redactUrl } from '../redact.ts'
import type { Config } from './resolve.ts'

/** What a config resolves to, for `config check`: structured, plus a human text form. */
export function configSummary(config: Config) {
  const data = {
    path: config.path,
    chain: config.chain,
    rpc_endpoints: config.rpc.endpoints.map(redactUrl),
    tokens: [...config.tokens.values()].map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals })),
    venues: config.venues.map((v) => ({ key: v.key, type: v.type, factory: v.factory, quoter: v.quoter })),
    pairs: config.pairs.map((p) => ({ pair: p.name, anchor: p.anchor, sizes: p.sizes.map((s) => formatUnitsFixed(s, p.base.decimals, p.base.decimals)) })),
    gates: config.gates,
    translated_from_arbybot: config.notes,
  }
  const text = [
    `✓ ${config.path} is valid`,
    `chain ${config.chain.name} (${config.chain.chainId}) · ${data.rpc_endpoints.length} RPC endpoint(s) · ${data.tokens.length} tokens`,
    `venues: ${data.venues.map((v) => v.key).join(', ')}`,
    ...data.pairs.map((p) => `pair ${p.pair}: sizes ${p.sizes.join(', ')} · anchor ${p.anchor}`),
    `gates: max deviation ${config.gates.max_price_deviation_bps} bps · max slippage ${config.gates.max_slippage_bps} bps · min net ${config.gates.min_net_profit_bps} bps`,
    ...(config.notes.length ? ['', 'note: the original arbybot format, translated:', ...config.notes.map((line) => `  - ${line}`)] : []),
  ].join('\n')
  return { ...data, text }
}
