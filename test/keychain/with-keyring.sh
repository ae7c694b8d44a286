#!/usr/bin/env bash
# Runs a command against a private, unlocked gnome-keyring on a private D-Bus session bus, so the
# user's real keyrings are never touched. Usage: test/keychain/with-keyring.sh COMMAND [ARGS...]
# The command sees DBUS_SESSION_BUS_ADDRESS, XDG_DATA_HOME, XDG_RUNTIME_DIR and GLT_TEST_KEYRING_PID
# (the daemon's PID, for tests that freeze it). Exits with the command's status.
# Recipe and measurements: shared/docs/keychain.md.
set -euo pipefail

# Outside: make throw-away folders, then run this script again inside a private session bus.
if [[ -z "${GLT_WITH_KEYRING_SCRATCH:-}" ]]; then
  if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
  fi
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (apt-get install dbus gnome-keyring)" >&2; exit 127; }
  done
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/glt-keyring.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  mkdir -m 700 "$scratch/data" "$scratch/runtime" "$scratch/home"
  status=0
  GLT_WITH_KEYRING_SCRATCH="$scratch" XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" \
    dbus-run-session -- bash "$0" "$@" || status=$?
  exit "$status"
fi

# Inside the private bus.
scratch=$GLT_WITH_KEYRING_SCRATCH
unset GLT_WITH_KEYRING_SCRATCH
# The password only unlocks this throw-away keyring. The daemon gets a scratch HOME too, so
# nothing it writes lands in the user's home.
printf %s 'glt-test-keyring' |
  HOME="$scratch/home" gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
daemon=$!
# CONT: a test may have frozen the daemon, and a stopped process does not act on TERM.
trap 'kill -TERM "$daemon" 2>/dev/null || true; kill -CONT "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true' EXIT

# Calling the keyring before the daemon owns the name would let D-Bus start a second daemon.
owned=false
for _ in $(seq 1 500); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    owned=true
    break
  fi
  kill -0 "$daemon" 2>/dev/null || break
  sleep 0.01
done
if [[ $owned != true ]]; then
  echo "$0: gnome-keyring-daemon did not take org.freedesktop.secrets" >&2
  exit 1
fi

export GLT_TEST_KEYRING_PID=$daemon
status=0
"$@" || status=$?
exit "$status"
