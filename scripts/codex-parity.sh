#!/usr/bin/env bash
# Verdict parity: runs every case of tests/parity/cases through the real `codex login status` of
# Codex 0.169.0 and 0.171.0 and through `authdeck status --json` (offline, and online against the
# embedded mock backend), and prints every disagreement plus the agreement figure per version.
#
# A case is a crafted Codex home: auth.json, optional config.toml, optional `env` (NAME=value
# lines). See docs/codex-parity.md for how verdicts are compared and for the deliberate
# differences listed in tests/parity/notes.tsv.
#
# Codex binaries: CODEX_169_BIN / CODEX_171_BIN, else `npm install @openai/codex@<version>` into
# PARITY_SCRATCH (default: a temp dir). authdeck: AUTHDECK_BIN (default target/debug/authdeck).
# Nothing leaves 127.0.0.1: Codex's Agent Identity URLs point at the mock backend, and every other
# request goes through a proxy address on loopback where nothing listens.
#
# Options: --record   rewrite tests/parity/verdicts.tsv from what the Codexes answer
#          --only PAT run only the cases whose name contains PAT
set -uo pipefail
cd "$(dirname "$0")/.."
RECORD=0
ONLY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --record) RECORD=1 ;;
    --only) ONLY=$2; shift ;;
    *) echo "usage: $0 [--record] [--only PATTERN]" >&2; exit 2 ;;
  esac
  shift
done
AUTHDECK=${AUTHDECK_BIN:-target/debug/authdeck}
[[ -x "$AUTHDECK" ]] || { echo "no authdeck binary at $AUTHDECK (cargo build, or set AUTHDECK_BIN)" >&2; exit 2; }
AUTHDECK=$(cd "$(dirname "$AUTHDECK")" && pwd)/$(basename "$AUTHDECK")
command -v python3 >/dev/null || { echo "python3 is needed to read authdeck's JSON" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/authdeck-parity.XXXXXX")
mock_pid=""
trap '[[ -n "$mock_pid" ]] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"' EXIT

codex_bin() { # version -> path
  local v=$1 minor
  minor=${v#0.}; minor=${minor%%.*}
  local var=CODEX_${minor}_BIN # 0.169.0 -> CODEX_169_BIN
  if [[ -n "${!var:-}" ]]; then echo "${!var}"; return; fi
  local dir=${PARITY_SCRATCH:-$work/npm}/v$v
  if [[ ! -x "$dir/node_modules/.bin/codex" ]]; then
    mkdir -p "$dir"
    npm install --silent --prefix "$dir" "@openai/codex@$v" >&2 || { echo "npm install @openai/codex@$v failed" >&2; exit 2; }
  fi
  echo "$dir/node_modules/.bin/codex"
}
VERSIONS=(0.169.0 0.171.0)
declare -A BIN
for v in "${VERSIONS[@]}"; do BIN[$v]=$(codex_bin "$v") || exit 2; done

# The mock backend trusts the corpus's good agents (tests/parity/trust/).
trust=()
for f in tests/parity/trust/*.json; do trust+=(--trust "$f"); done
"$AUTHDECK" mock-backend --port 0 --scenario ok "${trust[@]}" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do grep -q '^export CODEX_AGENT_IDENTITY_AUTHAPI' "$work/mock.log" && break; sleep 0.1; done
MOCK_URL=$(sed -n 's/^export CODEX_AGENT_IDENTITY_JWKS_BASE_URL=//p' "$work/mock.log")
[[ -n "$MOCK_URL" ]] || { echo "the mock backend did not start:" >&2; cat "$work/mock.log" >&2; exit 2; }

DEAD_PROXY=http://127.0.0.1:9
base_env=(PATH="$PATH" CODEX_AGENT_IDENTITY_JWKS_BASE_URL="$MOCK_URL" CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL="$MOCK_URL"
  HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY ALL_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost)

setup_home() { # case dir -> prints the temp dir with home/ and codex/
  local c=$1 t
  t=$(mktemp -d "$work/case.XXXXXX")
  mkdir -p "$t/home" "$t/codex"
  [[ -e "$c/auth.json" ]] && cp "$c/auth.json" "$t/codex/auth.json"
  [[ -e "$c/config.toml" ]] && cp "$c/config.toml" "$t/codex/config.toml"
  [[ -e "$c/config.fifo" ]] && mkfifo "$t/codex/config.toml"
  echo "$t"
}
case_env() { # case dir -> NAME=value lines
  [[ -e "$1/env" ]] && cat "$1/env"
  return 0
}

# Codex's answer as a class: ok | signed_out | invalid | runtime | hang | error
codex_class() { # rc, output
  local rc=$1 out=$2
  if [[ $rc == 124 ]]; then echo hang; return; fi
  if [[ $rc == 0 ]]; then echo ok; return; fi
  case "$out" in
    *"Not logged in"*) echo signed_out ;;
    *"failed to request agent identity JWKS"*|*"agent task registration failed"*|*"registration failure"*|*"failed to request personal access token metadata"*) echo runtime ;;
    *"Error checking login status"*|*"Error loading configuration"*) echo invalid ;;
    *) echo error ;;
  esac
}
run_codex() { # version, case dir -> "class<TAB>first line"
  local v=$1 c=$2 t out rc envs=()
  t=$(setup_home "$c")
  while IFS= read -r l; do envs+=("$l"); done < <(case_env "$c")
  out=$(env -i "${base_env[@]}" HOME="$t/home" CODEX_HOME="$t/codex" "${envs[@]}" \
    timeout 20 "${BIN[$v]}" login status 2>&1 </dev/null); rc=$?
  out=$(printf '%s\n' "$out" | grep -v '^WARNING')
  rm -rf "$t"
  printf '%s\t%s\n' "$(codex_class "$rc" "$out")" "$(echo "$out" | head -1 | sed "s#$work[^ :]*#<tmp>#g" | cut -c1-160)"
}
# authdeck's verdict: its state (ready | offline | signed_out | invalid | runtime_init_failed | …)
run_authdeck() { # case dir, extra args...
  local c=$1 t out rc envs=(); shift
  t=$(setup_home "$c")
  while IFS= read -r l; do envs+=("$l"); done < <(case_env "$c")
  out=$(env -i "${base_env[@]}" HOME="$t/home" CODEX_HOME="$t/codex" "${envs[@]}" \
    timeout 20 "$AUTHDECK" status --json --timeout 5 "$@" 2>/dev/null </dev/null); rc=$?
  rm -rf "$t"
  if [[ $rc == 124 ]]; then echo "hang"; return; fi
  printf '%s' "$out" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["state"])
except Exception: print("error")'
}
class_of_state() {
  case "$1" in
    ready|offline) echo ok ;;
    signed_out|invalid) echo refused ;;
    runtime_init_failed) echo runtime ;;
    *) echo "$1" ;;
  esac
}
bucket() { # a codex class -> the bucket compared with authdeck's
  case "$1" in
    signed_out|invalid) echo refused ;;
    *) echo "$1" ;;
  esac
}
note_of() { awk -F'\t' -v n="$1" '$1==n {print $2; exit}' tests/parity/notes.tsv 2>/dev/null; }

declare -A AGREE TOTAL DELIB
for v in "${VERSIONS[@]}"; do AGREE[$v]=0; TOTAL[$v]=0; DELIB[$v]=0; done
record_file=$work/verdicts.tsv
printf 'case\tcodex-0.169.0\tcodex-0.171.0\tcodex says\n' >"$record_file"
for c in tests/parity/cases/*/; do
  c=${c%/}; name=$(basename "$c")
  [[ -n "$ONLY" && "$name" != *"$ONLY"* ]] && continue
  offline=$(run_authdeck "$c" --offline)
  online=$(run_authdeck "$c")
  note=$(note_of "$name")
  row="$name"; said=""
  for v in "${VERSIONS[@]}"; do
    IFS=$'\t' read -r cls said < <(run_codex "$v" "$c")
    row+=$'\t'"$cls"
    TOTAL[$v]=$((TOTAL[$v] + 1))
    want=$(bucket "$cls")
    # Offline, a backend step cannot fail: Codex's runtime failures are "usable" offline.
    want_off=$want; [[ $want_off == runtime ]] && want_off=ok
    got_on=$(class_of_state "$online"); got_off=$(class_of_state "$offline")
    why=""
    [[ "$got_on" != "$want" ]] && why+=" online=$online"
    if [[ "$got_off" != "$want_off" && "$note" != offline-unknowable* ]]; then why+=" offline=$offline"; fi
    if [[ -z "$why" ]]; then
      AGREE[$v]=$((AGREE[$v] + 1))
    else
      [[ "$note" == deliberate* || "$note" == internet* ]] && DELIB[$v]=$((DELIB[$v] + 1))
      printf 'DIFF  %-7s %-42s codex=%-10s authdeck:%s  (%s)%s\n' "$v" "$name" "$cls" "$why" "$said" "${note:+  [note: $note]}"
    fi
  done
  row+=$'\t'"$said"
  printf '%s\n' "$row" >>"$record_file"
done
echo
for v in "${VERSIONS[@]}"; do
  echo "codex $v: authdeck agrees on ${AGREE[$v]} / ${TOTAL[$v]} cases (of the rest, ${DELIB[$v]} are documented differences)"
done
if [[ $RECORD == 1 ]]; then
  if [[ -n "$ONLY" ]]; then echo "--record needs the whole corpus (no --only)" >&2; exit 2; fi
  cp "$record_file" tests/parity/verdicts.tsv
  echo "wrote tests/parity/verdicts.tsv"
fi
exit 0
