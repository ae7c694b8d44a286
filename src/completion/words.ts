/** The first lines of every generated script after its title. */
export const GENERATED_NOTICE = `# Generated from glt's command definitions by \`npm run completions\` (or \`glt completion\`): do not edit.`

/**
 * Command names, option names and fixed values go into the scripts unquoted (bash word lists, fish
 * switch patterns): a definition that needs quoting fails generation instead of breaking a shell.
 */
export function plainWord(word: string): string {
  if (!/^-{0,2}[A-Za-z0-9][\w.+-]*$/.test(word)) throw new Error(`completion: ${JSON.stringify(word)} is not a plain word`)
  return word
}
