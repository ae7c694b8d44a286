declare const __GLT_VERSION__: string | undefined

/** Injected by the build (scripts/build.mjs) and by vitest's config, from package.json. */
export const VERSION = typeof __GLT_VERSION__ === 'string' ? __GLT_VERSION__ : '0.0.0-dev'
