/**
 * RPC URLs carry API keys in the path (Alchemy, Infura), the query (`?apikey=`) or
 * basic auth. Nothing that reaches a log, an error or an artifact may show them.
 */
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>]+/gi

/** Keeps scheme, host and port; masks credentials, path and query. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const hidden = parsed.username || parsed.password || parsed.search || parsed.hash || parsed.pathname.length > 1
    return `${parsed.protocol}//${parsed.host}${hidden ? '/***' : ''}`
  } catch {
    // Not a URL the parser takes (a bad port, say): keep what is plainly scheme and host:port.
    const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#\s@]*@)?([^/?#\s@]*)(.*)$/i.exec(url)
    return match ? `${match[1]}${match[2]}${match[3] ? '/***' : ''}` : '<redacted-url>'
  }
}

/** Masks every URL in free text, and any extra literal secrets given. */
export function redactText(text: string, secrets: readonly string[] = knownSecrets()): string {
  let out = text.replace(URL_PATTERN, (match) => {
    // Prose punctuation after a URL ("…:8545: down", "(…/rpc)") is not part of it.
    const [, url, tail] = /^(.*?)([:;,.)\]]*)$/.exec(match)!
    return `${redactUrl(url!)}${tail}`
  })
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('***')
  return out
}

/** Secret values present in the environment, masked wherever they appear verbatim. */
export function knownSecrets(env: Record<string, string | undefined> = process.env): string[] {
  return ['ALCHEMY_API_KEY', 'ARBY_PRIVATE_KEY', 'ARBY_EXEC_PRIVATE_KEY', 'INFURA_API_KEY', 'ARBY_TELEGRAM_BOT_TOKEN', 'ARBY_WEBHOOK_URL', 'ARBY_DISCORD_WEBHOOK_URL']
    .map((name) => env[name]?.trim())
    .filter((value): value is string => typeof value === 'string' && value.length > 0)
    // A key may be written with or without 0x, in either case: mask every spelling.
    .flatMap((value) => /^(0x)?[0-9a-fA-F]{64}$/.test(value) ? [value, value.replace(/^0x/, ''), value.replace(/^0x/, '').toLowerCase(), value.replace(/^0x/, '').toUpperCase()] : [value])
}
