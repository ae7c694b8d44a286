/** `glt help exit-codes`, and the end of `glt --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    GitLab or the network failed
  2    usage error: bad flags or input, nothing was sent
  3    missing or rejected credentials (401, 403, the trigger's 404)
  4    --wait: the pipeline did not succeed, or waits for a manual job
  5    --wait: the pipeline did not finish within --timeout
  130  interrupted (Ctrl-C, or SIGTERM)`

/**
 * Every environment variable glt reads, for `glt help environment`. A test scans src/ for reads of
 * the environment and fails on a name missing here.
 */
export const ENVIRONMENT: readonly { names: readonly string[]; text: string }[] = [
  { names: ['GITLAB_HOST'], text: 'the GitLab instance when --host is not given (default: gitlab.com)' },
  { names: ['GITLAB_TOKEN'], text: 'a personal access token, used before the one glt login saved' },
  { names: ['GLT_TRIGGER_TOKEN'], text: 'the trigger token for glt trigger, unless --token or --token-stdin is set' },
  { names: ['CI_JOB_TOKEN'], text: 'in GitLab CI: triggers pipelines of other projects, reads them for --wait' },
  { names: ['CI_SERVER_URL'], text: 'in GitLab CI: the instance when neither --host nor GITLAB_HOST is set' },
  { names: ['GITLAB_CI'], text: 'set by GitLab CI: only then are CI_JOB_TOKEN and CI_SERVER_URL read' },
  { names: ['CI'], text: 'set by CI systems: never prompt, no colour, no spinner' },
  { names: ['GLT_NO_PROMPT'], text: '1: never prompt; a missing value is a usage error naming its flag' },
  { names: ['GLT_ALLOW_HTTP'], text: '1: allow sending a token over plain http:// to another machine' },
  { names: ['GLT_DEBUG'], text: '1: as --debug: print the HTTP exchange (secrets redacted) and stack traces' },
  { names: ['NO_COLOR'], text: 'any value: no colour (as --no-color)' },
  { names: ['TERM'], text: 'dumb: no colour and no spinner' },
  { names: ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'], text: 'the proxy for requests to GitLab, and hosts that bypass it (or lower-case)' },
  { names: ['NODE_EXTRA_CA_CERTS'], text: "a PEM file with your private CA's certificates (read by Node.js)" },
  { names: ['XDG_CONFIG_HOME'], text: 'glt keeps its files in $XDG_CONFIG_HOME/glt (default: ~/.config/glt)' },
  { names: ['XDG_CACHE_HOME'], text: 'glt keeps compiled code in $XDG_CACHE_HOME/glt (default: ~/.cache/glt)' },
  { names: ['LOCALAPPDATA'], text: 'Windows, without XDG_CACHE_HOME: compiled code goes in %LOCALAPPDATA%\\glt' },
  { names: ['NODE_DISABLE_COMPILE_CACHE'], text: '1: keep no compiled code between runs (later starts are slower)' },
]

export const ENVIRONMENT_HELP = `Environment variables glt reads:
${ENVIRONMENT.map(({ names, text }) => `  ${names.join(', ')}\n      ${text}`).join('\n')}

glt trigger --var KEY (without a value) also reads the variable KEY.`
