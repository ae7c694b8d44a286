/** The request's parameters, decoded the way GitLab's Rack and Grape layers decode them. */
export interface ParsedParameters {
  /** Flat name → value as sent (`variables[FOO]`), the last one winning. JSON bodies are flattened the same way. */
  fields: Record<string, string>
  /** Every flat field in the order received, duplicates kept. */
  fieldEntries: Array<[string, string]>
  /** Query string and body merged and nested (`variables[FOO]=x` → `{ variables: { FOO: 'x' } }`); the body wins. */
  params: Record<string, unknown>
  /** Set when the body could not be decoded; Grape answers such a request with 400. */
  bodyError?: string
}

/** The media type of a Content-Type header, lower-cased and without its parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  return type === '' ? undefined : type
}

export function parseParameters(
  rawQuery: string,
  body: Buffer,
  contentType: string | undefined,
  method: string,
): ParsedParameters {
  const queryEntries = [...new URLSearchParams(rawQuery)]
  const params = nestEntries(queryEntries)
  const fieldEntries = [...queryEntries]
  const mediaType = mediaTypeOf(contentType)

  let bodyError: string | undefined
  try {
    const bodyParams = parseBody(body, contentType, mediaType, method)
    if (bodyParams) {
      // Rack merges GET and POST params shallowly, so a body key replaces the whole query key.
      Object.assign(params, bodyParams.params)
      fieldEntries.push(...bodyParams.entries)
    }
  } catch (error) {
    bodyError = error instanceof Error ? error.message : String(error)
  }

  const result: ParsedParameters = { fields: Object.fromEntries(fieldEntries), fieldEntries, params }
  if (bodyError !== undefined) result.bodyError = bodyError
  return result
}

function parseBody(
  body: Buffer,
  contentType: string | undefined,
  mediaType: string | undefined,
  method: string,
): { params: Record<string, unknown>; entries: Array<[string, string]> } | undefined {
  if (body.length === 0) return undefined

  if (mediaType === 'application/json' || mediaType?.endsWith('+json')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch {
      throw new Error('message body does not match declared format')
    }
    if (!isPlainObject(parsed)) return undefined
    const entries: Array<[string, string]> = []
    flattenJson(parsed, '', entries)
    return { params: parsed, entries }
  }

  if (mediaType === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
    const boundaryValue = boundary?.[1] ?? boundary?.[2]
    if (boundaryValue === undefined) throw new Error('multipart body without a boundary')
    const entries = parseMultipart(body, boundaryValue)
    return { params: nestEntries(entries), entries }
  }

  // Rack reads a POST body without a Content-Type as a form, as curl -d users rely on.
  if (mediaType === 'application/x-www-form-urlencoded' || (mediaType === undefined && method === 'POST')) {
    const entries = [...new URLSearchParams(body.toString('utf8'))]
    return { params: nestEntries(entries), entries }
  }

  return undefined
}

/** Rack's nested parameter names: `a=1`, `a[b]=1` (hash), `a[]=1` (array), `a[b][c]=1`. */
function nestEntries(entries: Array<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [name, value] of entries) setNested(root, name, value)
  return root
}

function setNested(root: Record<string, unknown>, name: string, value: string): void {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name)
  const head = match?.[1]
  const brackets = match?.[2] ?? ''
  if (head === undefined || brackets === '') {
    root[name] = value
    return
  }
  const keys = [head, ...[...brackets.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')]
  // `[]` is only understood as the last segment; arrays of hashes are not needed here.
  if (keys.slice(0, -1).includes('')) {
    root[name] = value
    return
  }

  let node = root
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as string
    const nextKey = keys[i + 1] as string
    if (nextKey === '') {
      const list = Array.isArray(node[key]) ? (node[key] as unknown[]) : []
      list.push(value)
      node[key] = list
      return
    }
    // Rack would reject a name used as both a scalar and a hash; the later one wins here.
    if (!isPlainObject(node[key])) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keys[keys.length - 1] as string] = value
}

function flattenJson(value: unknown, prefix: string, out: Array<[string, string]>): void {
  if (Array.isArray(value)) {
    for (const item of value) flattenJson(item, `${prefix}[]`, out)
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) flattenJson(item, prefix === '' ? key : `${prefix}[${key}]`, out)
  } else {
    out.push([prefix, value === null ? '' : String(value)])
  }
}

/** A small multipart/form-data reader: enough for curl -F and fetch's FormData. File parts are read as text. */
export function parseMultipart(body: Buffer, boundary: string): Array<[string, string]> {
  const delimiter = Buffer.from(`--${boundary}`)
  const entries: Array<[string, string]> = []
  let position = body.indexOf(delimiter)
  if (position === -1) throw new Error('multipart body without its boundary')

  for (;;) {
    position += delimiter.length
    if (body.subarray(position, position + 2).toString() === '--') break
    position = skipLineBreak(body, position)
    const headerEnd = body.indexOf('\r\n\r\n', position)
    if (headerEnd === -1) throw new Error('multipart part without headers')
    const headers = body.subarray(position, headerEnd).toString('utf8')
    const contentStart = headerEnd + 4
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart)
    if (next === -1) throw new Error('multipart body is not terminated')

    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1]
    if (name !== undefined) entries.push([name, body.subarray(contentStart, next).toString('utf8')])
    position = next + 2
  }
  return entries
}

function skipLineBreak(body: Buffer, position: number): number {
  if (body[position] === 0x0d && body[position + 1] === 0x0a) return position + 2
  if (body[position] === 0x0a) return position + 1
  return position
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
