import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { RequestHandler } from 'msw'

export const TEST_HOST = 'https://gitlab.test'
export const API = `${TEST_HOST}/api/v4`

const server = setupServer()
let active: RequestHandler[] = []

/** Installs msw for this test file: any request without a handler fails the test. */
export function setupMsw(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    // gh's httpmock Verify: a handler that was never used means the test did not test what it says.
    const unused = active.filter((handler) => !handler.isUsed)
    active = []
    expect(unused.map((h) => h.info.header), 'unused HTTP handlers').toEqual([])
  })
  afterAll(() => server.close())
}

/** Answers with these handlers for the current test; each must be used before it ends. */
export function useGitLab(...handlers: RequestHandler[]): void {
  active.push(...handlers)
  server.use(...handlers)
}

/** Like useGitLab, for handlers a test expects NOT to be called (no-request assertions). */
export function allowGitLab(...handlers: RequestHandler[]): void {
  server.use(...handlers)
}
