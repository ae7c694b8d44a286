import type { Fault } from './faults.ts'
import type { RouteName } from './routes.ts'

/** One request the fake GitLab received, as it came over the wire and as GitLab would decode it. */
export interface RecordedRequest {
  method: string
  /** Path and query exactly as sent, not decoded: `/api/v4/projects/group%2Fproj/trigger/pipeline?x=1`. */
  rawPath: string
  /** `rawPath` without its query string, still encoded. */
  path: string
  /** The decoded query string; the last of repeated names wins. */
  query: Record<string, string>
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>
  bodyText: string
  /** The Content-Type's media type, lower-cased and without parameters (`multipart/form-data`). */
  contentType: string | undefined
  /** Query and body fields flat, as named on the wire (`variables[FOO]`); JSON bodies flattened the same way. */
  fields: Record<string, string>
  /** Every flat field in order, duplicates kept. */
  fieldEntries: Array<[string, string]>
  /**
   * Query and body merged and nested as GitLab's Grape sees them, whatever the encoding:
   * `params.variables` is `{ FOO: 'x' }` for `variables[FOO]=x` and for `{"variables":{"FOO":"x"}}` alike.
   */
  params: RequestParams
  /** Why the body could not be decoded, if it could not. */
  bodyError?: string
  /** Which route answered; `not-found` for GitLab's catch-all 404. */
  route: RouteName
  /** The route's path parameters, URL-decoded (`id`, `ref`, `triggerId`, `pipelineId`). */
  pathParams: Record<string, string>
  /** The status sent; unset while in flight or when the connection was cut before any headers. */
  status?: number
  /** The injected fault that answered this request, if one did. */
  fault?: Fault
}

/** Decoded request parameters; the ones the trigger API knows are named for convenience. */
export interface RequestParams {
  token?: unknown
  ref?: unknown
  variables?: unknown
  inputs?: unknown
  [name: string]: unknown
}
