/**
 * Masks a secret for display: `glptt-…ab12`. Keeps a known prefix (it says what kind of token it
 * is) and the last four characters (to tell tokens apart), never more than a quarter of it.
 */
export function maskSecret(secret: string): string {
  const prefix = /^(gl[a-z]{2,5}-)/.exec(secret)?.[1] ?? ''
  const rest = secret.slice(prefix.length)
  if (rest.length < 16) return `${prefix}…`
  return `${prefix}…${rest.slice(-4)}`
}

/** Replaces every occurrence of each secret (and its URL-encoded form) in `text` with `[REDACTED]`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text
  const variants = new Set<string>()
  for (const secret of secrets) {
    if (secret.length < 4) continue // too short to tell apart from ordinary text; never a real token
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
    variants.add(new URLSearchParams({ s: secret }).toString().slice(2))
    variants.add(JSON.stringify(secret).slice(1, -1))
  }
  // Longest first, so a secret containing another is replaced whole.
  for (const variant of [...variants].sort((a, b) => b.length - a.length)) {
    if (variant !== '') result = result.split(variant).join('[REDACTED]')
  }
  return result
}
