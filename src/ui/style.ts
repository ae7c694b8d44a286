/** The few styles glt uses; chalk's instances fit this shape. */
export interface Style {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

const identity = (text: string) => text

/** No colour: pipes, files, CI, NO_COLOR. */
export const noStyle: Style = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity }

/**
 * chalk, loaded only where colour is shown: its import pulls in node:tty and friends, start-up
 * time that scripts and CI jobs (never coloured) should not pay (see `npm run bench`).
 */
export async function loadStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return noStyle
  const { Chalk } = await import('chalk')
  return new Chalk({ level: 1 })
}
