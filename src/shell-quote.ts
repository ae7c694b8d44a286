/** Quotes one word for a POSIX shell so that pasting it back yields exactly `word`. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_/.:,@%+=-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
