import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml'

export type YamlSource = { path: string; doc: Document.Parsed; lines: LineCounter }

export function parseYaml(path: string, text: string): YamlSource {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  return { path, doc, lines }
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
