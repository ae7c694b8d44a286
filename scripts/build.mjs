// Bundles src/ into dist/ with esbuild: one entry file loads fast, and rarely used modules (prompts,
// spinner, undici) become chunks loaded only on the paths that need them.
import { readFile, rm } from 'node:fs/promises'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url)
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'))

// commander loads node:child_process (and with it net, stream, dgram) at start-up for executable
// subcommands, which glt does not have: hand it a stand-in that loads the module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    )
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] })",
      loader: 'js',
    }))
  },
}

await rm(new URL('dist', root), { recursive: true, force: true })
await build({
  absWorkingDir: root.pathname,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The native keychain binding picks its platform package at run time: it cannot be bundled.
  external: ['@napi-rs/keyring'],
  define: { __GLT_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (commander, undici) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __gltCreateRequire } from 'node:module'; const require = __gltCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  legalComments: 'none',
  logLevel: 'warning',
})
