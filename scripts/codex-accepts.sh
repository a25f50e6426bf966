#!/usr/bin/env bash
# Checks that the real Codex CLI accepts every kind of auth.json authdeck writes.
#
# Needs a `codex` binary (CODEX_BIN, else `codex` on PATH; e.g. `npm install @openai/codex`) and a
# built authdeck (AUTHDECK_BIN, else target/debug/authdeck). Agent Identity files are checked
# against authdeck's embedded mock backend, with Codex's own URL overrides pointed at it, so
# Codex itself verifies the demo JWT and registers a task there. Nothing leaves 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."
CODEX=${CODEX_BIN:-codex}
AUTHDECK=${AUTHDECK_BIN:-target/debug/authdeck}
command -v "$CODEX" >/dev/null || { echo "no codex binary (set CODEX_BIN)"; exit 2; }
work=$(mktemp -d "${XDG_RUNTIME_DIR:-$HOME}/authdeck-codex-check.XXXXXX")
trap 'kill $mock_pid 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" CODEX_HOME="$work/codex"
mkdir -p "$HOME" "$CODEX_HOME"
fail=0
check() { # name, expected substring
  local out; out=$("$CODEX" login status 2>&1 | grep -v '^WARNING')
  if [[ "$out" == *"$2"* ]]; then echo "ok    $1: $out"; else echo "FAIL  $1: $out"; fail=1; fi
}

# 1. API key account added by authdeck, switched live.
echo "sk-proj-authdeckcheck1234567890" | "$AUTHDECK" add key --api-key-stdin >/dev/null
"$AUTHDECK" switch key >/dev/null
check "add --api-key-stdin + switch" "API key configured - sk-proj-***67890"

# 2. The demo accounts (ChatGPT logins, Agent Identities, a record form) written by --demo's builder,
#    through `add --from-file` + `switch`.
"${DEMO_ACCOUNTS_BIN:-target/debug/examples/demo-accounts}" "$work/demo" >/dev/null || { echo "FAIL  could not write the demo accounts (cargo build --examples)"; fail=1; }
trust=()
for f in "$work"/demo/agent-*.json; do trust+=(--trust "$f"); done
"$AUTHDECK" mock-backend --port 0 --scenario ok "${trust[@]}" > "$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 50); do grep -q '^export CODEX_AGENT_IDENTITY_JWKS' "$work/mock.log" && break; sleep 0.1; done
eval "$(grep '^export' "$work/mock.log")"
for f in "$work"/demo/*.json; do
  name=$(basename "$f" .json)
  "$AUTHDECK" add "$name" --from-file "$f" --no-verify >/dev/null 2>&1 || continue
  "$AUTHDECK" switch "$name" >/dev/null 2>&1 || { echo "FAIL  switch $name"; fail=1; continue; }
  case "$name" in
    chatgpt-*|business-*) check "demo $name (chatgpt)" "Logged in using ChatGPT" ;;
    agent-*) check "demo $name (agent identity)" "Logged in using access token" ;;
  esac
done

# 3. `mode` on a document with two modes: only auth_mode changes, Codex follows it.
"$AUTHDECK" switch chatgpt-pro >/dev/null 2>&1 && {
  python3 - "$CODEX_HOME/auth.json" <<'PY'
import json,sys
p=sys.argv[1]; d=json.load(open(p)); d["OPENAI_API_KEY"]="sk-proj-authdeckmode1234567890"; json.dump(d,open(p,"w"),indent=2)
PY
  "$AUTHDECK" mode apikey >/dev/null && check "mode apikey" "API key configured - sk-proj-***67890"
  "$AUTHDECK" mode chatgpt >/dev/null && check "mode chatgpt" "Logged in using ChatGPT"
}
exit $fail
