# fish completion for glt
# Generated from glt's command definitions by `npm run completions` (or `glt completion`): do not edit.
# Install: glt completion fish > ~/.config/fish/completions/glt.fish

# Two lines: the (sub)command being completed ("" for glt itself, "trigger", "tokens list"...)
# and how many positional arguments it has been given so far.
function __glt_walk
    set -l command ''
    set -l positionals 0
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch "$command/$word"
            case '/trigger'
                set command 'trigger'
            case '/tokens'
                set command 'tokens'
            case '/login'
                set command 'login'
            case '/logout'
                set command 'logout'
            case '/whoami'
                set command 'whoami'
            case '/version'
                set command 'version'
            case '/completion'
                set command 'completion'
            case '/help'
                set command 'help'
            case 'trigger/-p' 'trigger/--project' 'trigger/-r' 'trigger/--ref' 'trigger/--token' 'trigger/-v' 'trigger/--var' 'trigger/--var-file' 'trigger/-i' 'trigger/--input' 'trigger/--interval' 'trigger/--manual' 'trigger/--dotenv' 'trigger/--timeout' 'trigger/--host'
                set skip 1
            case 'tokens/list' 'tokens/ls'
                set command 'tokens list'
            case 'tokens/create'
                set command 'tokens create'
            case 'tokens/revoke'
                set command 'tokens revoke'
            case 'tokens/rotate'
                set command 'tokens rotate'
            case 'tokens/save'
                set command 'tokens save'
            case 'tokens/forget'
                set command 'tokens forget'
            case 'tokens/help'
                set command 'tokens help'
            case 'tokens list/-p' 'tokens list/--project' 'tokens list/--host'
                set skip 1
            case 'tokens create/-p' 'tokens create/--project' 'tokens create/-d' 'tokens create/--description' 'tokens create/--expires-at' 'tokens create/--host'
                set skip 1
            case 'tokens revoke/-p' 'tokens revoke/--project' 'tokens revoke/--host'
                set skip 1
            case 'tokens rotate/-p' 'tokens rotate/--project' 'tokens rotate/--host'
                set skip 1
            case 'tokens save/-p' 'tokens save/--project' 'tokens save/--host'
                set skip 1
            case 'tokens forget/-p' 'tokens forget/--project' 'tokens forget/--host'
                set skip 1
            case 'login/--host'
                set skip 1
            case 'logout/--host'
                set skip 1
            case 'whoami/--host'
                set skip 1
            case '*/-*'
            case '*'
                set positionals (math $positionals + 1)
        end
    end
    printf '%s\n' $command $positionals
end

# True when completing the words after this (sub)command: __glt_at tokens list
function __glt_at
    set -l state (__glt_walk)
    test "$state[1]" = "$argv"
end

# True when completing this (sub)command's first positional argument.
function __glt_at_argument
    set -l state (__glt_walk)
    test "$state[1]" = "$argv"; and test $state[2] = 0
end

complete -c glt -f
complete -c glt -n '__glt_at' -a trigger -d 'Start a pipeline for a branch or tag with a pipeline trigger token'
complete -c glt -n '__glt_at' -a tokens -d 'Manage a project\'s pipeline trigger tokens (list, create, revoke, save, forget, rotate)'
complete -c glt -n '__glt_at' -a login -d 'Check a personal access token with GitLab and save it for the host'
complete -c glt -n '__glt_at' -a logout -d 'Remove the personal access token saved for a GitLab host'
complete -c glt -n '__glt_at' -a whoami -d 'Show the GitLab host, user and tokens glt would use'
complete -c glt -n '__glt_at' -a version -d 'Print glt\'s version, and the Node.js and platform it runs on (for bug reports)'
complete -c glt -n '__glt_at' -a completion -d 'Print the completion script for bash, zsh or fish (install steps in its first lines)'
complete -c glt -n '__glt_at' -a help -d 'Show help for a command, or a topic: environment, exit-codes'
complete -c glt -n '__glt_at' -s V -l version -d 'print the version'
complete -c glt -n '__glt_at' -l debug -d 'print the HTTP exchange (tokens and variable values redacted) and stack traces'
complete -c glt -n '__glt_at' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at' -s h -l help -d 'show help'
complete -c glt -n '__glt_at trigger' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at trigger' -s r -l ref -x -d 'branch or tag to run (default: the current branch, with the origin project)'
complete -c glt -n '__glt_at trigger' -l token -x -d 'pipeline trigger token (visible in the process list: prefer --token-stdin)'
complete -c glt -n '__glt_at trigger' -l token-stdin -d 'read the trigger token from standard input'
complete -c glt -n '__glt_at trigger' -s v -l var -x -d 'set a CI/CD variable; --var KEY takes the value of $KEY (repeatable)'
complete -c glt -n '__glt_at trigger' -l var-file -r -F -d 'read variables from a dotenv file (repeatable)'
complete -c glt -n '__glt_at trigger' -s i -l input -x -d 'set a pipeline input; := sends a typed JSON value (repeatable)'
complete -c glt -n '__glt_at trigger' -l json -d 'print the pipeline object GitLab returned, as JSON'
complete -c glt -n '__glt_at trigger' -l dry-run -d 'send nothing; print the equivalent curl command'
complete -c glt -n '__glt_at trigger' -l webhook-url -d 'print the webhook URL for this project, ref and --var/--input values instead of triggering'
complete -c glt -n '__glt_at trigger' -l show-token -d 'with --webhook-url: print the token (and values from the environment) in full'
complete -c glt -n '__glt_at trigger' -s w -l wait -d 'follow the pipeline to its end: exit 0 on success, 4 if it fails, 5 on --timeout'
complete -c glt -n '__glt_at trigger' -l interval -x -d 'with --wait: time between polls (at least 1s; default: 5s)'
complete -c glt -n '__glt_at trigger' -l manual -x -a 'fail pass' -d 'with --wait: a pipeline waiting for a manual job fails (default) or passes'
complete -c glt -n '__glt_at trigger' -l cancel-on-interrupt -d 'with --wait: cancel the pipeline on Ctrl-C (default: leave it running)'
complete -c glt -n '__glt_at trigger' -l cancel-on-timeout -d 'with --wait: cancel the pipeline when --timeout runs out'
complete -c glt -n '__glt_at trigger' -l dotenv -r -F -d 'with --wait: write GLT_PIPELINE_ID, GLT_PIPELINE_URL and GLT_PIPELINE_STATUS to this file'
complete -c glt -n '__glt_at trigger' -l no-preflight -d 'with --wait: trigger even when no token to read the pipeline was found'
complete -c glt -n '__glt_at trigger' -l timeout -x -d 'give up after this long (500ms, 30s, 5m; default 30s per request, and no limit on --wait)'
complete -c glt -n '__glt_at trigger' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at trigger' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at trigger' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at trigger' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens' -a list -d 'List a project\'s pipeline trigger tokens'
complete -c glt -n '__glt_at tokens' -a ls -d 'List a project\'s pipeline trigger tokens'
complete -c glt -n '__glt_at tokens' -a create -d 'Create a pipeline trigger token (needs the Maintainer role)'
complete -c glt -n '__glt_at tokens' -a revoke -d 'Revoke a pipeline trigger token (needs the Maintainer role)'
complete -c glt -n '__glt_at tokens' -a rotate -d 'Replace a trigger token with a new one with the same description, then revoke it'
complete -c glt -n '__glt_at tokens' -a save -d 'Save an existing trigger token (from the web UI) for glt trigger'
complete -c glt -n '__glt_at tokens' -a forget -d 'Remove the trigger token glt saved for a project (the token stays valid)'
complete -c glt -n '__glt_at tokens' -a help -d 'show help for a command'
complete -c glt -n '__glt_at tokens' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens list' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens list' -l json -d 'print GitLab\'s trigger token objects as JSON (tokens masked unless --show-token)'
complete -c glt -n '__glt_at tokens list' -l show-token -d 'print your own tokens in full (GitLab shows only 4 characters of the others)'
complete -c glt -n '__glt_at tokens list' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens list' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens list' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens list' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens create' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens create' -s d -l description -x -d 'what the token is for (asked for in a terminal)'
complete -c glt -n '__glt_at tokens create' -l expires-at -x -d 'the day the token stops working (default: never)'
complete -c glt -n '__glt_at tokens create' -l save -d 'save the token for glt trigger instead of printing it (OS keychain)'
complete -c glt -n '__glt_at tokens create' -l insecure-storage -d 'with --save: save it in a plain-text file instead of the OS keychain'
complete -c glt -n '__glt_at tokens create' -l json -d 'print GitLab\'s trigger token object as JSON (its token masked with --save)'
complete -c glt -n '__glt_at tokens create' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens create' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens create' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens create' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens revoke' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens revoke' -s y -l yes -d 'do not ask for confirmation (required without a terminal)'
complete -c glt -n '__glt_at tokens revoke' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens revoke' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens revoke' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens revoke' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens rotate' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens rotate' -l insecure-storage -d 'save the new token in a plain-text file instead of the OS keychain'
complete -c glt -n '__glt_at tokens rotate' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens rotate' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens rotate' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens rotate' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens save' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens save' -l token-stdin -d 'read the token from standard input (required without a terminal)'
complete -c glt -n '__glt_at tokens save' -l insecure-storage -d 'save it in a plain-text file instead of the OS keychain'
complete -c glt -n '__glt_at tokens save' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens save' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens save' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens save' -s h -l help -d 'show help'
complete -c glt -n '__glt_at tokens forget' -s p -l project -x -d 'project ID or full path (default: from the origin remote)'
complete -c glt -n '__glt_at tokens forget' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at tokens forget' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at tokens forget' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at tokens forget' -s h -l help -d 'show help'
complete -c glt -n '__glt_at login' -l token-stdin -d 'read the token from standard input'
complete -c glt -n '__glt_at login' -l insecure-storage -d 'save the token in a plain-text file instead of the OS keychain'
complete -c glt -n '__glt_at login' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at login' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at login' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at login' -s h -l help -d 'show help'
complete -c glt -n '__glt_at logout' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at logout' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at logout' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at logout' -s h -l help -d 'show help'
complete -c glt -n '__glt_at whoami' -l json -d 'print one JSON object (shape in the README, "Logging in")'
complete -c glt -n '__glt_at whoami' -l host -x -d 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'
complete -c glt -n '__glt_at whoami' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at whoami' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at whoami' -s h -l help -d 'show help'
complete -c glt -n '__glt_at version' -l json -d 'print them as a JSON object'
complete -c glt -n '__glt_at version' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at version' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at version' -s h -l help -d 'show help'
complete -c glt -n '__glt_at completion' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at completion' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at completion' -s h -l help -d 'show help'
complete -c glt -n '__glt_at_argument completion' -x -a 'bash zsh fish'
complete -c glt -n '__glt_at help' -l debug -d 'print the HTTP exchange (secrets redacted) and stack traces'
complete -c glt -n '__glt_at help' -l no-color -d 'never colour the output (also: NO_COLOR=1)'
complete -c glt -n '__glt_at help' -s h -l help -d 'show help'
complete -c glt -n '__glt_at_argument help' -x -a 'trigger tokens login logout whoami version completion help environment exit-codes'
