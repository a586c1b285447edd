import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'

export type YamlSource = { path: string; doc: Document.Parsed; lines: LineCounter }

/**
 * Parses YAML keeping positions. Duplicate keys are found by `duplicateKey` in one pass:
 * the library's own check compares every key with every other (20k keys took 3 s).
 */
export function parseYaml(path: string, text: string): YamlSource {
  const lines = new LineCounter()
  try {
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false })
    return { path, doc, lines }
  } catch (error) {
    // Pathological input (nesting deep enough to exhaust the stack): a syntax error, not a crash.
    const doc = parseDocument('', { lineCounter: lines })
    doc.errors.push(Object.assign(new Error(`cannot be parsed (${error instanceof RangeError ? 'nested too deeply' : 'parser failure'})`), { linePos: undefined }) as never)
    return { path, doc, lines }
  }
}

/** The first key repeated inside one mapping, with its position, or null. Linear in the document. */
export function duplicateKey(source: YamlSource): { path: string; position: string } | null {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: source.doc.contents, path: [] }]
  while (stack.length) {
    const { node, path } = stack.pop()!
    if (isMap(node)) {
      const seen = new Set<unknown>()
      for (const item of node.items) {
        const key = isScalar(item.key) ? item.key.value : item.key
        if (seen.has(key) && isNode(item.key) && item.key.range) {
          const { line, col } = source.lines.linePos(item.key.range[0])
          return { path: dotPath([...path, String(key)]), position: `${line}:${col}` }
        }
        seen.add(key)
        stack.push({ node: item.value, path: [...path, String(key)] })
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => stack.push({ node: item, path: [...path, index] }))
    }
  }
  return null
}

/**
 * `line:col` of the node at `path`, or of its nearest existing ancestor when the key
 * itself is missing (so "missing key" errors point at the object that lacks it).
 */
export function locate(source: YamlSource, path: readonly (string | number)[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? source.doc.contents : source.doc.getIn(path.slice(0, depth), true)
    if (isNode(node) && node.range) {
      const { line, col } = source.lines.linePos(node.range[0])
      return `${line}:${col}`
    }
  }
  return '1:1'
}

/** `line:col` of the key itself (for unknown-key errors), falling back to `locate`. */
export function locateKey(source: YamlSource, path: readonly (string | number)[]): string {
  const parent = path.length > 1 ? source.doc.getIn(path.slice(0, -1), true) : source.doc.contents
  if (isMap(parent)) {
    const item = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === path[path.length - 1])
    if (item && isNode(item.key) && item.key.range) {
      const { line, col } = source.lines.linePos(item.key.range[0])
      return `${line}:${col}`
    }
  }
  return locate(source, path)
}

export function dotPath(path: readonly (string | number)[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('').replace(/^\./, '') || '(root)'
}
