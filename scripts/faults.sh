#!/usr/bin/env bash
# npm run faults: the fault experiments of issue 19 on a throwaway SQLite database in a
# temporary data directory (loopback only, no network), bounded to 5 minutes. Every line
# must read present = acknowledged, duplicates = 0, audit verified = yes; exit 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
node=node_modules/.bin/node
data=$(mktemp -d /tmp/ratusz-faults.XXXXXX)
trap 'rm -rf "$data"' EXIT
export NODE_ENV=test RATUSZ_DATA="$data" DB_CONNECTION=sqlite
"$node" ace.js migration:run --force >/dev/null || exit 1
timeout 300 "$node" ace.js faults
