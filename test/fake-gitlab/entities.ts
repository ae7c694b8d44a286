import { createHash } from 'node:crypto'
import type { FakeJob, FakePat, FakePipeline, FakeProject, FakeTrigger, FakeUser, GitLabState } from './state.ts'
import { jobStatus, pipelineStatus } from './state.ts'

// The JSON GitLab's API entities expose, built from the fake's state.

export function userBasicEntity(user: FakeUser, baseUrl: string) {
  const emailHash = createHash('md5').update(`${user.username}@example.com`).digest('hex')
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: `https://www.gravatar.com/avatar/${emailHash}?s=80&d=identicon`,
    web_url: `${baseUrl}/${user.username}`,
  }
}

export function userEntity(user: FakeUser, baseUrl: string) {
  return {
    ...userBasicEntity(user, baseUrl),
    created_at: user.createdAt,
    bio: '',
    public_email: null,
    bot: false,
  }
}

export function personalAccessTokenEntity(pat: FakePat) {
  return {
    id: pat.id,
    name: pat.name,
    revoked: pat.revoked,
    created_at: pat.createdAt,
    description: null,
    scopes: pat.scopes,
    user_id: pat.userId,
    last_used_at: pat.lastUsedAt,
    active: !pat.revoked && !isPastDate(pat.expiresAt),
    expires_at: pat.expiresAt,
  }
}

export function projectEntity(project: FakeProject, baseUrl: string) {
  const segments = project.path.split('/')
  return {
    id: project.id,
    name: project.name,
    name_with_namespace: [...segments.slice(0, -1), project.name].join(' / '),
    path: segments[segments.length - 1],
    path_with_namespace: project.path,
    default_branch: project.defaultBranch,
    visibility: project.visibility,
    web_url: `${baseUrl}/${project.path}`,
    http_url_to_repo: `${baseUrl}/${project.path}.git`,
    namespace: { full_path: segments.slice(0, -1).join('/') },
  }
}

/** GitLab masks trigger tokens owned by someone else to their first 4 characters. */
export function triggerEntity(trigger: FakeTrigger, state: GitLabState, viewerId: number, baseUrl: string) {
  const owner = trigger.ownerId === null ? undefined : state.users.get(trigger.ownerId)
  return {
    id: trigger.id,
    token: trigger.ownerId === viewerId ? trigger.token : trigger.token.slice(0, 4),
    description: trigger.description,
    created_at: trigger.createdAt,
    updated_at: trigger.updatedAt,
    last_used: trigger.lastUsed,
    expires_at: trigger.expiresAt,
    owner: owner ? userBasicEntity(owner, baseUrl) : null,
  }
}

export function pipelineEntity(pipeline: FakePipeline, state: GitLabState, baseUrl: string) {
  const project = state.projects.get(pipeline.projectId)
  const user = pipeline.userId === null ? undefined : state.users.get(pipeline.userId)
  const status = pipelineStatus(pipeline)
  const path = `/${project?.path ?? pipeline.projectId}/-/pipelines/${pipeline.id}`
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.projectId,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status,
    source: pipeline.source,
    created_at: pipeline.createdAt,
    updated_at: pipeline.updatedAt,
    web_url: `${baseUrl}${path}`,
    // GitLab has no previous commit for a triggered pipeline.
    before_sha: '0000000000000000000000000000000000000000',
    tag: pipeline.tag,
    yaml_errors: null,
    user: user ? userBasicEntity(user, baseUrl) : null,
    started_at: pipeline.startedAt,
    finished_at: pipeline.finishedAt,
    committed_at: null,
    duration: secondsBetween(pipeline.startedAt, pipeline.finishedAt),
    queued_duration: null,
    coverage: null,
    name: null,
    detailed_status: detailedStatus(status, path),
  }
}

export function jobEntity(pipeline: FakePipeline, job: FakeJob, state: GitLabState, baseUrl: string) {
  const project = state.projects.get(pipeline.projectId)
  const user = pipeline.userId === null ? undefined : state.users.get(pipeline.userId)
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: jobStatus(pipeline, job),
    ref: pipeline.ref,
    tag: pipeline.tag,
    allow_failure: false,
    created_at: pipeline.createdAt,
    started_at: pipeline.startedAt,
    finished_at: pipeline.finishedAt,
    web_url: `${baseUrl}/${project?.path ?? pipeline.projectId}/-/jobs/${job.id}`,
    user: user ? userBasicEntity(user, baseUrl) : null,
    pipeline: {
      id: pipeline.id,
      iid: pipeline.iid,
      project_id: pipeline.projectId,
      ref: pipeline.ref,
      sha: pipeline.sha,
      status: pipelineStatus(pipeline),
    },
  }
}

function detailedStatus(status: string, detailsPath: string) {
  const text = status.replaceAll('_', ' ')
  return {
    icon: `status_${status}`,
    text: text.charAt(0).toUpperCase() + text.slice(1),
    label: text,
    group: status,
    tooltip: text,
    has_details: true,
    details_path: detailsPath,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_status_${status}.png`,
  }
}

function secondsBetween(start: string | null, end: string | null): number | null {
  if (start === null || end === null) return null
  return Math.round((Date.parse(end) - Date.parse(start)) / 1000)
}

/** True for a `YYYY-MM-DD` (or ISO) date that is already past. */
export function isPastDate(date: string | null): boolean {
  return date !== null && Date.parse(date) < Date.now()
}
