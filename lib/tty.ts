/**
 * Whether a stream may carry ANSI escapes: only a terminal, and never with NO_COLOR set
 * (any value, per no-color.org) or TERM=dumb.
 */
export function colorAllowed(stream: { isTTY?: boolean } = process.stderr, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

/** Columns to wrap text at: the terminal's width, else 80. */
export function textWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? Math.max(40, Math.min(stream.columns, 120)) : 80
}

/** Removes ANSI escape sequences (for text from libraries that colour unconditionally). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001B\[[0-9;]*[A-Za-z]/g, '')
}
