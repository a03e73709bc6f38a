#!/usr/bin/env bash
# Runs the whole test suite twice: on SQLite, then on a throwaway PostgreSQL
# cluster created here (initdb in a temp dir, pg_ctl on a free loopback port,
# removed afterwards). Prints one closing line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
node="$root/node_modules/.bin/node"

bash scripts/system-deps.sh test || exit 1

run_suite() {
  local label=$1 log=$2
  shift 2
  echo "== test run on $label =="
  env "$@" "$node" --import=@poppinss/ts-exec bin/test.ts ${TEST_ARGS:-} 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

counts() {
 grep -aE '^tests: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | sed -E 's/^tests: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}

mkdir -p tmp
# Per-run log files: two runs on one machine must not read each other's counts.
sqlite_log=$(mktemp tmp/test-sqlite.XXXXXX.log)
pg_log=$(mktemp tmp/test-pg.XXXXXX.log)
: > "$pg_log"

run_suite SQLite "$sqlite_log" DB_CONNECTION=sqlite
sqlite_status=$?

pg_status=0
if [ "${SKIP_PG:-}" = "1" ]; then
  echo "== PostgreSQL run skipped (SKIP_PG=1) =="
else
  pgdir=$(mktemp -d /tmp/ratusz-pg.XXXXXX)
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  owner=postgres
  id -u postgres >/dev/null 2>&1 || owner=nobody
  port=$("$node" -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  cleanup() {
    if [ -n "${pgbin:-}" ] && [ -d "$pgdir/data" ]; then
      as_owner "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$pgdir"
  }
  as_owner() {
    if [ "$(id -u)" = "0" ]; then (cd "$pgdir" && runuser -u "$owner" -- "$@"); else (cd "$pgdir" && "$@"); fi
  }
  trap cleanup EXIT
  [ "$(id -u)" = "0" ] && chown "$owner" "$pgdir"
  if as_owner "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 \
    && as_owner "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres ratusz_test
    run_suite "PostgreSQL (port $port)" "$pg_log" DB_CONNECTION=pg PG_HOST=127.0.0.1 PG_PORT="$port" PG_USER=postgres PG_PASSWORD=unused PG_DB_NAME=ratusz_test
    pg_status=$?
  else
    echo "PostgreSQL test cluster could not start:" >&2
    cat "$pgdir/initdb.log" "$pgdir/server.log" 2>/dev/null | tail -20 >&2
    pg_status=1
  fi
fi

read -r sp sf <<<"$(counts "$sqlite_log")"
read -r pp pf <<<"$(counts "$pg_log")"
sp=${sp:-0} sf=${sf:-0} pp=${pp:-0} pf=${pf:-0}
# A run that crashed before printing its counts is a failure, not zero tests.
[ "$sqlite_status" != 0 ] && [ "$sf" = 0 ] && sf=1
[ "$pg_status" != 0 ] && [ "$pf" = 0 ] && pf=1
echo "SQLite: $sp passed, $sf failed; PostgreSQL: $pp passed, $pf failed"
echo "tests: $((sp + pp)) passed, $((sf + pf)) failed"
[ "$sqlite_status" = 0 ] && [ "$pg_status" = 0 ]
