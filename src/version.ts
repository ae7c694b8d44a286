declare const __GLT_VERSION__: string | undefined

/** Injected by the build (scripts/build.mjs) from package.json; 0.0.0-dev when run from src/ (unit tests). */
export const VERSION = typeof __GLT_VERSION__ === 'string' ? __GLT_VERSION__ : '0.0.0-dev'
