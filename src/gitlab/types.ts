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

/** A job of a pipeline, as `GET /projects/:id/pipelines/:pipeline_id/jobs` lists it. */
export interface Job {
  id: number
  name: string
  stage: string
  status: string
  web_url: string
  [field: string]: unknown
}
