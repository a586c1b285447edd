import type { ArgsDef, CommandDef, CommandMeta } from 'citty'
import { arbyCommand } from '../invocation.ts'
import { aliasesOf, resolveValue } from './resolvable.ts'

export type UsageOptions = { color: boolean; width: number }

/**
 * `--help` text: description, usage line, commands, options with their defaults, each
 * description wrapped to the width (80 when piped), colour only on a terminal.
 */
export async function renderUsage(command: CommandDef<any>, names: string[], { color, width }: UsageOptions): Promise<string> {
  const paint = (code: number) => (text: string) => (color ? `\u001B[${code}m${text}\u001B[0m` : text)
  const [bold, cyan, gray] = [paint(1), paint(36), paint(90)]
  const meta = (await resolveValue(command.meta ?? {})) as CommandMeta
  const args = (await resolveValue(command.args ?? {})) as ArgsDef
  const subCommands = (await resolveValue(command.subCommands ?? {})) as Record<string, unknown>
  const lines: string[] = []
  if (meta.description) lines.push(...wrap(meta.description, width), '')

  const positionals = Object.entries(args).filter(([, def]) => def.type === 'positional')
  const invocation = `${arbyCommand()}${names.length > 1 ? ` ${names.slice(1).join(' ')}` : ''}`
  const usage = [invocation, Object.keys(subCommands).length ? '<command>' : '', ...positionals.map(([name, def]) => (def.required === false ? `[${name.toUpperCase()}]` : `<${name.toUpperCase()}>`)), Object.keys(args).length > positionals.length ? '[options]' : '']
  lines.push(`${bold('Usage:')} ${usage.filter(Boolean).join(' ')}`)

  const section = (title: string, rows: [string, string][]) => {
    if (!rows.length) return
    const left = Math.min(30, Math.max(...rows.map(([name]) => name.length)))
    lines.push('', bold(title))
    for (const [name, text] of rows) {
      const indent = 2 + left + 2
      const body = wrap(text, Math.max(20, width - indent))
      const head = name.length > left ? [`  ${cyan(name)}`, ...body.map((line) => `${' '.repeat(indent)}${line}`)] : [`  ${cyan(name.padEnd(left))}  ${body[0] ?? ''}`, ...body.slice(1).map((line) => `${' '.repeat(indent)}${line}`)]
      lines.push(...head)
    }
  }
  const commandRows: [string, string][] = []
  for (const [name, sub] of Object.entries(subCommands)) {
    const def = (await resolveValue(sub as CommandDef<any>)) as CommandDef<any>
    commandRows.push([name, ((await resolveValue(def.meta ?? {})) as CommandMeta).description ?? ''])
  }
  section('Commands:', commandRows)
  section('Arguments:', positionals.map(([name, def]) => [name.toUpperCase(), def.description ?? '']))
  section('Options:', Object.entries(args).filter(([, def]) => def.type !== 'positional').map(([name, def]) => {
    const aliases = aliasesOf(def as { alias?: string | string[] })
    const value = def.type === 'enum' ? ` <${(def.options ?? []).join('|')}>` : def.type === 'string' ? ` <${def.valueHint ?? 'value'}>` : ''
    const flag = [...aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`)), `--${name}`].join(', ') + value
    const fallback = def.default !== undefined && def.default !== false && def.default !== '' ? gray(` (default: ${def.default})`) : ''
    return [flag, `${def.description ?? ''}${fallback}`]
  }))
  if (Object.keys(subCommands).length) lines.push('', `Run \`${invocation} <command> --help\` for a command's options.`)
  return lines.join('\n')
}

/** Greedy word wrap; words longer than the width stay whole. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const visible = (line ? `${line} ${word}` : word).replace(/\u001B\[[0-9;]*m/g, '')
      if (line && visible.length > width) {
        out.push(line)
        line = word
      } else {
        line = line ? `${line} ${word}` : word
      }
    }
    out.push(line)
  }
  return out
}

