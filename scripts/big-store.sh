#!/bin/sh
# Builds the 10,000-account store BENCHMARKS.md measures: the eight demo documents (ChatGPT
# logins, Agent Identity JWTs and a record, an API key, a corrupt file) copied round-robin into
# CODEX_HOME/accounts, and a live auth.json equal to the first ChatGPT account.
#
# Usage: scripts/big-store.sh CODEX_HOME [COUNT]
# Needs the demo-accounts example built (cargo build --release --example demo-accounts), or set
# DEMO_ACCOUNTS to its path.
set -eu
home=${1:?usage: big-store.sh CODEX_HOME [COUNT]}
count=${2:-10000}
demo=${DEMO_ACCOUNTS:-target/release/examples/demo-accounts}
docs=$(mktemp -d)
trap 'rm -rf "$docs"' EXIT
"$demo" "$docs" > /dev/null
mkdir -p "$home/accounts"
chmod 700 "$home/accounts"
set -- "$docs"/*.json
n=$#
i=0
while [ "$i" -lt "$count" ]; do
    k=$((i % n + 1))
    eval "src=\${$k}"
    dst=$(printf '%s/accounts/acct-%05d.json' "$home" "$i")
    cp "$src" "$dst"
    i=$((i + 1))
done
chmod 600 "$home"/accounts/*.json
cp "$(ls "$docs"/*.json | grep -i chatgpt | head -n 1 || ls "$docs"/*.json | head -n 1)" "$home/auth.json"
chmod 600 "$home/auth.json"
echo "$count accounts in $home/accounts"
