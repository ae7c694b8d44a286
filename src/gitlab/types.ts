/** The fields of GitLab's pipeline object glt reads; the rest passes through `--json` unchanged. */
export interface Pipeline {
  id: number
  iid?: number
  project_id: number
  ref: string
  sha?: string
  status: string
  source?: string
  web_url: string
  [field: string]: unknown
}
