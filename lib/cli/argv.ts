import type { ArgsDef, CommandDef } from 'citty'
import { InputError } from '../errors.ts'
import { arbyCommand } from '../invocation.ts'
import { aliasesOf, resolveValue } from './resolvable.ts'
import { suggest } from './suggest.ts'


/** The command a command line names: the chain of (sub)commands and the arguments left for it. */
export type ResolvedCommand = { command: CommandDef<any>; names: string[]; rest: string[] }

/** Walks subcommands by name; an unknown one is bad input with a "did you mean". */
export async function resolveCommand(root: CommandDef<any>, rawArgs: string[], prefix: string[] = []): Promise<ResolvedCommand> {
  let command = root
  const names: string[] = ['arby', ...prefix]
  let rest = rawArgs
  for (;;) {
    const subCommands = await resolveValue(command.subCommands ?? {})
    const index = rest.findIndex((arg) => !arg.startsWith('-'))
    if (!subCommands || !Object.keys(subCommands).length || index === -1) break
    if (rest.slice(0, index).some((arg) => !isHelpOrVersion(arg))) break
    const name = rest[index]!
    const sub = subCommands[name]
    if (!sub) {
      const guess = suggest(name, Object.keys(subCommands))
      throw new InputError('UNKNOWN_COMMAND', `unknown command "${name}" for ${names.join(' ')}`, {
        hint: `${guess ? `did you mean \`${guess}\`? ` : ''}commands: ${Object.keys(subCommands).join(', ')} (run \`${arbyCommand()} ${names.slice(1).join(' ')}${names.length > 1 ? ' ' : ''}--help\`)`,
      })
    }
    command = await resolveValue(sub)
    names.push(name)
    rest = [...rest.slice(0, index), ...rest.slice(index + 1)]
  }
  return { command, names, rest }
}

export function isHelpOrVersion(arg: string): boolean {
  return arg === '--help' || arg === '-h' || arg === '--version' || arg === '-v'
}

/**
 * Refuses what citty would silently ignore: unknown flags (with the closest known one),
 * stray positional arguments, a value-taking flag without its value, an enum value outside
 * its options. `scan --cylces 3` must not run one cycle; `scan smoke` must not scan mainnet.
 */
export function checkArgs(rawArgs: string[], args: ArgsDef, names: string[]): void {
  const help = `run \`${arbyCommand()} ${names.slice(1).join(' ')} --help\` for the flags`
  const flags = new Map<string, { name: string; def: ArgsDef[string] }>()
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue
    const aliases = aliasesOf(def as { alias?: string | string[] })
    for (const spelling of [name, kebab(name), ...aliases]) flags.set(spelling, { name, def })
    if (def.type === 'boolean') flags.set(`no-${kebab(name)}`, { name, def })
  }
  const positionals = Object.values(args).filter((def) => def.type === 'positional').length
  let seenPositionals = 0
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!
    if (arg === '--') {
      seenPositionals += rawArgs.length - i - 1
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      seenPositionals++
      if (seenPositionals > positionals) {
        throw new InputError('UNEXPECTED_ARGUMENT', `unexpected argument "${arg}" for ${names.join(' ')}`, {
          hint: positionals === 0 ? `this command takes flags only (e.g. \`--mode ${arg}\`?); ${help}` : help,
        })
      }
      continue
    }
    const [spelled, inline] = splitFlag(arg)
    const known = flags.get(spelled)
    if (!known) {
      const guess = suggest(spelled, [...flags.keys()].filter((k) => k.length > 1))
      throw new InputError('UNKNOWN_FLAG', `unknown flag ${arg.startsWith('--') ? '--' : '-'}${spelled} for ${names.join(' ')}`, {
        hint: `${guess ? `did you mean --${guess}? ` : ''}${help}`,
      })
    }
    const { def, name } = known
    if (def.type === 'boolean') {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new InputError('FLAG_VALUE_INVALID', `--${kebab(name)} is a switch: use it alone, or =true/=false`, { hint: help })
      continue
    }
    const value = inline ?? rawArgs[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new InputError('FLAG_VALUE_MISSING', `--${kebab(name)} needs a value${def.valueHint ? ` (${def.valueHint})` : ''}`, { hint: help })
    }
    if (def.type === 'enum' && def.options && !def.options.includes(value)) {
      const guess = suggest(value, def.options)
      throw new InputError('FLAG_VALUE_INVALID', `--${kebab(name)} must be one of ${def.options.join(', ')}; got "${value}"`, {
        hint: `${guess ? `did you mean ${guess}? ` : ''}${help}`,
      })
    }
  }
}

function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^--?/, '')
  const eq = body.indexOf('=')
  return eq === -1 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)]
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}
