import { createConsola, type ConsolaInstance } from 'consola'
import { colorAllowed } from './tty.ts'

/**
 * The one logger. Both streams point at stderr so stdout carries only data
 * (tables, `--json`). CONSOLA_LEVEL still overrides the level.
 */
export const log: ConsolaInstance = createConsola({
  level: process.env.CONSOLA_LEVEL ? Number(process.env.CONSOLA_LEVEL) : 3,
  stdout: process.stderr,
  stderr: process.stderr,
  formatOptions: { date: false, colors: colorAllowed(process.stderr) },
  throttle: 0,
})

export function setLogLevel(level: { quiet?: boolean; verbose?: boolean }): void {
  if (level.quiet) log.level = 1
  else if (level.verbose) log.level = 4
}
