/**
 * The one place that bundles browser code (Bun.build), so a move off Bun stays cheap: one
 * self-contained script, minified, dependencies inlined (no CDN at run time).
 */
export async function bundleBrowser(entry: string): Promise<string> {
  const result = await Bun.build({ entrypoints: [entry], target: 'browser', minify: true, format: 'esm' })
  if (!result.success) throw new Error(`bundling ${entry} failed: ${result.logs.map((l) => l.message).join('; ')}`)
  return result.outputs[0]!.text()
}
