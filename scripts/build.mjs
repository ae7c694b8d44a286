// Bundles src/ into dist/ with esbuild, measured with `npm run bench`:
// - dist/cli.cjs, one CommonJS file: Node 20 starts it without its ES module loader (~4 ms), and
//   bin/glt requires it directly.
// - Rarely used dependencies (prompts, spinner, colour, undici) are bundled into files of their own
//   in dist/lazy/, required only on the paths that use them. Every `import()` in src/ becomes a
//   plain require() at the time of the call: no ES module loader on any path.
import { createHash } from 'node:crypto'
import { readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url)
// A path, not a URL's pathname: a checkout under a folder with a space in its name must build too.
const rootDir = fileURLToPath(root)
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'))

/** Loaded by `import()` in src/; each becomes dist/lazy/<name>.cjs. */
const LAZY_PACKAGES = { chalk: 'chalk', ora: 'ora', '@inquirer/prompts': 'prompts', undici: 'undici' }
/** The native keychain binding picks its platform package at run time: it cannot be bundled. */
const EXTERNAL = ['@napi-rs/keyring']

const common = { absWorkingDir: rootDir, bundle: true, format: 'cjs', platform: 'node', target: 'node20.19', legalComments: 'none', logLevel: 'warning', metafile: true }

// commander loads node:child_process (and with it net, stream, dgram) at start-up for executable
// subcommands, which glt does not have: hand it a stand-in that loads the module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`) ? { path: 'node:child_process', namespace: 'lazy-builtin' } : undefined,
    )
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require(${JSON.stringify(args.path)})[key] })`,
      loader: 'js',
    }))
  },
}

// esbuild keeps `import('node:http')` as is in CommonJS output, and Node then starts its ES module
// loader to answer it: turn each dynamic import into a require() made when the import() runs.
const isBuiltin = (name) => name.startsWith('node:') || builtinModules.includes(name)
const importAsRequire = {
  name: 'import-as-require',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined
      if (isBuiltin(args.path) || EXTERNAL.includes(args.path)) return { path: args.path, namespace: 'require' }
      if (args.path in LAZY_PACKAGES) return { path: `./lazy/${LAZY_PACKAGES[args.path]}.cjs`, namespace: 'require-bundled' }
      return undefined
    })
    // Before the catch-all below: imported by each lazy package's stand-in.
    pluginBuild.onResolve({ filter: /^node-compile-cache$/ }, () => ({ path: 'node-compile-cache', namespace: 'node-compile-cache' }))
    pluginBuild.onResolve({ filter: /.*/, namespace: 'require' }, (args) => ({ path: args.path, external: true }))
    pluginBuild.onResolve({ filter: /.*/, namespace: 'require-bundled' }, (args) => ({ path: args.path, external: true }))
    // A built-in: its default export is module.exports, as Node's import() gives it.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: 'js' }))
    // An ES module bundled as CommonJS: re-exported as an ES module so that its `default` stays its own.
    // Node's compile cache (>= 22.8) is turned on first: bin/glt's own serves dist/cli.cjs alone.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'require-bundled' }, (args) => {
      const file = JSON.stringify(args.path)
      return { contents: `import 'node-compile-cache'; export * from ${file}; export { default } from ${file}`, loader: 'js' }
    })
    pluginBuild.onLoad({ filter: /.*/, namespace: 'node-compile-cache' }, () => ({
      // Where it exists; it does nothing with NODE_DISABLE_COMPILE_CACHE set, or a second time.
      contents: `require('node:module').enableCompileCache?.()`,
      loader: 'js',
    }))
  },
}

await rm(new URL('dist', root), { recursive: true, force: true })
const results = await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    external: EXTERNAL,
    define: { __GLT_VERSION__: JSON.stringify(pkg.version) },
    plugins: [lazyChildProcess, importAsRequire],
    write: false,
  }).then(async (result) => {
    const [cli] = result.outputFiles
    // bin/glt keys its compile cache on this first line: the build's content, read with no extra call.
    const id = createHash('sha256').update(cli.contents).digest('hex').slice(0, 16)
    await writeFile(cli.path, `// glt build ${id}\n${cli.text}`)
    return result
  }),
  build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(LAZY_PACKAGES).map(([name, file]) => [file, name])),
    outdir: 'dist/lazy',
    outExtension: { '.js': '.cjs' },
  }),
])

// The bundles hold other packages' code: their licences (MIT and the like) ask that their notices
// go with it. legalComments does not do that (most of them carry no @license comment).
const bundled = new Set()
for (const { metafile } of results) {
  for (const input of Object.keys(metafile.inputs)) {
    // The innermost node_modules/<package>/: a nested copy is a package of its own.
    const match = [...input.matchAll(/(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/]+\//g)].at(-1)
    if (match) bundled.add(input.slice(0, match.index + match[0].length - 1))
  }
}
const notices = []
for (const dir of [...bundled].sort()) {
  const pkgDir = path.join(rootDir, dir)
  const { name, version, license } = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'))
  const file = (await readdir(pkgDir)).find((entry) => /^(licen[cs]e|copying)([.-]|$)/i.test(entry))
  const text = file ? (await readFile(path.join(pkgDir, file), 'utf8')).trim() : `License: ${license}`
  notices.push(`${name}@${version} (${license})\n\n${text}\n`)
}
await writeFile(
  new URL('dist/THIRD-PARTY-LICENSES.txt', root),
  `glt's files in dist/ include code from these packages, under these licences.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
)
