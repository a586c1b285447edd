/**
 * Parses an RPC URL the way fetch will: a malformed one (bad port, no host, spaces, an
 * unsupported scheme) is bad input, answered at once, never retried as a network fault.
 * Returns the URL, or a one-line reason that never echoes the URL (it may hold a key).
 */
export function parseRpcUrl(text: string, schemes: readonly string[] = ['http:', 'https:', 'ws:', 'wss:']): URL | string {
  if (/\s/.test(text)) return 'must not contain spaces'
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(text)) return 'is not a valid URL (scheme://host[:port][/path])'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'is not a valid URL (scheme://host[:port][/path]; a port is 1..65535)'
  }
  if (!schemes.includes(url.protocol)) return `must start with ${schemes.map((s) => `${s}//`).join(' or ')}`
  if (!url.hostname) return 'has no host'
  if (url.port === '0') return 'has port 0'
  return url
}
