import { basename, dirname, join } from 'node:path'
import { KeychainUnavailableError } from '../errors.ts'

/** The JSON files glt keeps under its config directory: the credentials file and the account index. */

// node:fs/promises and node:crypto load only when a file is read or written: most glt runs never do.
const loadFs = () => import('node:fs/promises')

/** The parsed file, or undefined when it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await (await loadFs()).readFile(path, 'utf8')
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined
    throw storedFileError(`Could not read ${path} (${errorCode(error)}).`, error)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw storedFileError(`${path} is not valid JSON.`, error)
  }
}

/**
 * Replaces the file in one step (a temporary file renamed over it), so a crash or a concurrent
 * reader never sees half a file. The file is created 0600 and the directory 0700: the
 * credentials file holds secrets in plain text.
 */
export async function writeJsonFileAtomically(path: string, value: unknown): Promise<void> {
  const [{ mkdir, open, rename, rm }, { randomBytes }] = await Promise.all([loadFs(), import('node:crypto')])
  const directory = dirname(path)
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await mkdir(dirname(directory), { recursive: true })
    await mkdir(directory, { mode: 0o700 }).catch((error: unknown) => {
      if (!(isErrnoException(error) && error.code === 'EEXIST')) throw error
    })
    const file = await open(temporary, 'wx', 0o600)
    try {
      await file.writeFile(`${JSON.stringify(value, null, 2)}\n`)
      // Without it, a crash soon after the rename can leave an empty file on some file systems.
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw storedFileError(`Could not write ${path} (${errorCode(error)}).`, error)
  }
}

/**
 * Fails as writing a file in `directory` would, without writing: the nearest existing folder on
 * the way must be a folder glt may write in. Lets a command stop before it changes anything.
 */
export async function checkWritableDirectory(directory: string): Promise<void> {
  const { access, stat, constants } = await loadFs()
  let path = directory
  for (;;) {
    const found = await stat(path).catch((error: unknown) => {
      if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return undefined
      throw storedFileError(`Could not write in ${directory} (${errorCode(error)}).`, error)
    })
    if (found !== undefined) {
      if (!found.isDirectory()) throw storedFileError(`Could not write in ${directory} (${path} is not a folder).`)
      await access(path, constants.W_OK).catch((error: unknown) => {
        throw storedFileError(`Could not write in ${directory} (${errorCode(error)}).`, error)
      })
      return
    }
    if (dirname(path) === path) return
    path = dirname(path)
  }
}

/** A stored file that is present but unusable: names the file and says what to do. */
export function storedFileError(message: string, cause?: unknown): KeychainUnavailableError {
  return new KeychainUnavailableError(message, {
    cause,
    hint: 'Fix or remove the file, check its permissions, or pass the token in an environment variable (GLT_TRIGGER_TOKEN, GITLAB_TOKEN).',
    key: 'stored-file',
  })
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error
}

function errorCode(error: unknown): string {
  return isErrnoException(error) && typeof error.code === 'string' ? error.code : String(error)
}
