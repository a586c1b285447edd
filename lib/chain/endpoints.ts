import { parseRpcUrl } from '../config/rpcUrl.ts'
import type { Config } from '../config/resolve.ts'
import { InputError } from '../errors.ts'

export type EndpointSources = { flags?: string[]; env?: Record<string, string | undefined> }

/**
 * RPC URLs in precedence order: --rpc flags, else ARBY_RPC_URLS (comma-separated), else the
 * config's endpoints — with ALCHEMY_API_KEY's endpoint first and, as the original arbybot did,
 * ARBY_RPC_URL (one URL) put before them, the configured ones staying as fallbacks.
 */
export function resolveEndpoints(config: Config, { flags = [], env = process.env }: EndpointSources = {}): string[] {
  const fromFlags = flags.map((url) => url.trim()).filter(Boolean)
  if (fromFlags.length) return validate(fromFlags, '--rpc')
  const fromEnv = (env.ARBY_RPC_URLS ?? '').split(',').map((url) => url.trim()).filter(Boolean)
  if (fromEnv.length) return validate(fromEnv, 'ARBY_RPC_URLS')
  const urls = [...config.rpc.endpoints]
  const key = env.ALCHEMY_API_KEY?.trim()
  if (key && config.rpc.alchemy_url_template) urls.unshift(config.rpc.alchemy_url_template.replace('{key}', key))
  const preferred = env.ARBY_RPC_URL?.trim()
  if (preferred) urls.unshift(...validate([preferred], 'ARBY_RPC_URL'))
  if (!urls.length) {
    throw new InputError('RPC_NONE', 'no RPC endpoint configured', { hint: 'pass --rpc URL, set ARBY_RPC_URLS, or list rpc.endpoints in the config' })
  }
  return validate([...new Set(urls)], 'config')
}

function validate(urls: string[], origin: string): string[] {
  for (const [index, url] of urls.entries()) {
    const parsed = parseRpcUrl(url, ['http:', 'https:'])
    if (typeof parsed === 'string') {
      throw new InputError('RPC_URL_INVALID', `${origin}${urls.length > 1 ? ` (URL ${index + 1})` : ''}: ${parsed}`, { hint: 'RPC URLs look like https://host[:port]/path (keys may follow in the path or query)' })
    }
  }
  return urls
}
