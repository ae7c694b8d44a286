import type { IncomingMessage } from 'node:http'
import type { FetchLike, ResponseLike } from './client.ts'

/**
 * `fetch` over node:http(s), for the common case of no proxy: undici is ~1 MB of JavaScript and
 * loading it took longer than the whole trigger round trip (measured by `npm run bench`). Redirects
 * are never followed by node:http, as glt wants; errors carry the same codes (ECONNREFUSED,
 * ENOTFOUND, certificate codes) that undici puts in `cause`.
 */
export function createNodeFetch(): FetchLike {
  return async (url, init) => {
    const target = new URL(url)
    const transport = target.protocol === 'https:' ? await import('node:https') : await import('node:http')
    return new Promise<ResponseLike>((resolve, reject) => {
      const request = transport.request(target, { method: init.method, headers: init.headers, signal: init.signal }, (response) => {
        resolve(toResponseLike(response))
      })
      request.on('error', reject)
      request.end(init.body)
    })
  }
}

function toResponseLike(response: IncomingMessage): ResponseLike {
  const header = (name: string) => {
    const value = response.headers[name.toLowerCase()]
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
  }
  return {
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: {
      get: header,
      forEach: (callback) => {
        for (const name of Object.keys(response.headers)) callback(header(name) ?? '', name)
      },
    },
    body: response,
  }
}
