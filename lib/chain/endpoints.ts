import type { Config } from '../config/resolve.ts'
import { InputError } from '../errors.ts'

export type EndpointSources = { flags?: string[]; env?: Record<string, string | undefined> }

/**
 * RPC URLs in precedence order: --rpc flags, then ARBY_RPC_URLS (comma-separated), then
 * the config's endpoints, with the Alchemy endpoint first when ALCHEMY_API_KEY is set.
 */
export function resolveEndpoints(config: Config, { flags = [], env = process.env }: EndpointSources = {}): string[] {
  const fromFlags = flags.map((url) => url.trim()).filter(Boolean)
  if (fromFlags.length) return validate(fromFlags, '--rpc')
  const fromEnv = (env.ARBY_RPC_URLS ?? env.ARBY_RPC_URL ?? '').split(',').map((url) => url.trim()).filter(Boolean)
  if (fromEnv.length) return validate(fromEnv, 'ARBY_RPC_URLS')
  const urls = [...config.rpc.endpoints]
  const key = env.ALCHEMY_API_KEY?.trim()
  if (key && config.rpc.alchemy_url_template) urls.unshift(config.rpc.alchemy_url_template.replace('{key}', key))
  if (!urls.length) {
    throw new InputError('RPC_NONE', 'no RPC endpoint configured', { hint: 'pass --rpc URL, set ARBY_RPC_URLS, or list rpc.endpoints in the config' })
  }
  return urls
}

function validate(urls: string[], origin: string): string[] {
  for (const url of urls) {
    if (!/^https?:\/\/\S+$/.test(url)) {
      throw new InputError('RPC_URL_INVALID', `${origin}: not an http(s) URL`, { hint: 'RPC URLs start with http:// or https:// (keys may follow in the path or query)' })
    }
  }
  return urls
}
