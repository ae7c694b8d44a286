import { UsageError } from '../errors.ts'

/**
 * `:id` in GitLab's API is a numeric ID or the full path with every `/` encoded
 * (`group/sub/proj` → `group%2Fsub%2Fproj`): an unencoded slash would route elsewhere and 404.
 */
export function encodeProjectId(project: string): string {
  return encodeURIComponent(normalizeProject(project))
}

/** Accepts `123`, `group/sub/proj`, `/group/proj/`, or a project's web URL on any host. */
export function normalizeProject(project: string): string {
  let text = project.trim()
  const url = /^https?:\/\//i.test(text) ? safeUrl(text) : undefined
  if (url) text = decodeURIComponent(url.pathname).split('/-/')[0] ?? ''
  text = text.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (text === '' || text.includes('//') || /[\u0000-\u001f]/.test(text)) {
    throw new UsageError(`invalid project: "${project}"`, {
      hint: 'Give the numeric project ID or its full path, such as group/subgroup/project.',
      key: 'invalid-project',
    })
  }
  return text
}

export function isNumericProjectId(project: string): boolean {
  return /^\d+$/.test(project)
}

/** Refs go into paths (the webhook form) fully encoded: `feature/x` → `feature%2Fx`, `#` → `%23`. */
export function encodeRef(ref: string): string {
  return encodeURIComponent(ref)
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** A pipeline input: a string, or a typed JSON value given with `NAME:=JSON`. */
export type InputValue = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown }

export interface TriggerParams {
  token: string
  ref: string
  variables: ReadonlyMap<string, string>
  inputs: ReadonlyMap<string, InputValue>
}

export type TriggerBody =
  | { contentType: 'application/x-www-form-urlencoded'; text: string }
  | { contentType: 'application/json'; text: string }

/**
 * Form fields (`token`, `ref`, `variables[KEY]`, `inputs[NAME]`) as the GitLab page shows, unless an
 * input has a non-string type: form fields are always strings, so typed inputs need a JSON body.
 */
export function encodeTriggerBody(params: TriggerParams): TriggerBody {
  if (needsJsonBody(params.inputs)) {
    return { contentType: 'application/json', text: JSON.stringify(triggerJson(params)) }
  }
  const form = new URLSearchParams()
  form.append('token', params.token)
  form.append('ref', params.ref)
  for (const [key, value] of params.variables) form.append(`variables[${key}]`, value)
  for (const [name, value] of params.inputs) form.append(`inputs[${name}]`, String(value))
  return { contentType: 'application/x-www-form-urlencoded', text: form.toString() }
}

export function needsJsonBody(inputs: ReadonlyMap<string, InputValue>): boolean {
  for (const value of inputs.values()) if (typeof value !== 'string') return true
  return false
}

export function triggerJson(params: TriggerParams): Record<string, unknown> {
  const body: Record<string, unknown> = { token: params.token, ref: params.ref }
  if (params.variables.size > 0) body.variables = Object.fromEntries(params.variables)
  if (params.inputs.size > 0) body.inputs = Object.fromEntries(params.inputs)
  return body
}
