/**
 * A short, printable excerpt of untrusted text for an error message: control characters
 * escaped (a binary file must not paint the terminal), at most `max` characters.
 */
export function excerpt(text: string, max = 60): string {
  const escaped = JSON.stringify(text.length > max * 4 ? text.slice(0, max * 4) : text).slice(1, -1)
  return escaped.length > max ? `"${escaped.slice(0, max)}…"` : `"${escaped}"`
}

/** The first line of a message, at most `max` characters, control characters escaped. */
export function oneLine(text: string, max = 160): string {
  const line = (text.split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return line.length > max ? `${line.slice(0, max)}…` : line
}
