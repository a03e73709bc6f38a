#!/usr/bin/env bash
# `npm run bench`: builds the app, migrates and seeds a throwaway data set, then runs
# bench/run.ts, which starts the production server and a bare node:http server on 127.0.0.1,
# drives autocannon at the scenarios of bench/scenarios.ts, prints a table with PASS/FAIL per
# target and writes bench/results.json. See bench/README.md.
#
# Arguments (after `npm run bench --`): --check makes a failed target the exit status.
# Exit status: 0 once the figures are printed (failed targets are reported, not fatal);
# 1 with --check when a target FAILs (after printing everything and writing results.json);
# 2 on an unknown argument; non-zero when the build, the migrations or the server start fail.
#
# Knobs: BENCH_SKIP_BUILD=1 (reuse ./build), BENCH_BUILD_ARGS (e.g. --ignore-ts-errors),
# BENCH_DURATION / BENCH_WARMUP (seconds per run / before a scenario's first run, default 5 / 2),
# BENCH_ONLY (comma-separated scenario names, paths or groups: fees, signed-in, appliance),
# BENCH_KEEP=1 (keep the temp dir),
# BENCH_APPLIANCE=0 (skip the appliance bench: 1 GB backup, restore drill, db:switch to PostgreSQL).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
node="$root/node_modules/.bin/node"
started=$(date +%s)

# bench/run.ts checks its arguments again (bench/gates.ts); this saves a build on a typo.
for arg in "$@"; do
  if [ "$arg" != "--check" ]; then
    echo "bench: unknown argument \"$arg\" (usage: npm run bench [-- --check]; knobs are environment variables, see bench/README.md)" >&2
    exit 2
  fi
done

if [ ! -x "$node" ]; then
  echo "bench: $node is missing (run npm ci first)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/ratusz-bench.XXXXXX)
runner_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [ -n "$runner_pid" ] && kill -0 "$runner_pid" 2>/dev/null; then
    kill -TERM "$runner_pid" 2>/dev/null
    wait "$runner_pid" 2>/dev/null
  fi
  # Servers the runner started (it writes their pids), should it have died without stopping them.
  if [ -f "$work/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -qa "node" "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    done <"$work/pids"
  fi
  if [ "${BENCH_KEEP:-}" = "1" ]; then
    echo "bench: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# 1. Build. ./build gets no node_modules and no .env: link the project's node_modules.
if [ "${BENCH_SKIP_BUILD:-}" = "1" ] && [ -f build/bin/server.js ]; then
  echo "bench: reusing ./build (BENCH_SKIP_BUILD=1)"
else
  echo "bench: building (node ace.js build ${BENCH_BUILD_ARGS:-})"
  # shellcheck disable=SC2086
  if ! "$node" ace.js build ${BENCH_BUILD_ARGS:-} >"$work/build.log" 2>&1 || [ ! -f build/bin/server.js ]; then
    echo "bench: build failed; last lines:" >&2
    tail -40 "$work/build.log" >&2
    exit 1
  fi
fi
[ -e build/node_modules ] || ln -s ../node_modules build/node_modules

# 2. Environment of the production server (explicit, no .env in ./build).
port=$("$node" -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
mkdir -p "$work/data"
export NODE_ENV=production
export PORT="$port"
export HOST=127.0.0.1
export APP_KEY
APP_KEY=$("$node" -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")
export RATUSZ_DATA="$work/data"
export TLS=false
export LOG_LEVEL=warn
export DB_CONNECTION=sqlite
export SESSION_DRIVER=cookie
export LIMITER_STORE=database
export QUEUE_DRIVER=database
export MAIL_MODE=capture
export STAFF_NETWORKS=127.0.0.0/8,::1/128
unset APP_URL TRUSTED_PROXIES RATUSZ_DEMO

# 3. Data set: migrations, then the demo seeder.
echo "bench: migrating $RATUSZ_DATA"
if ! (cd build && "$node" ace.js migration:run --force) >"$work/migrate.log" 2>&1 </dev/null; then
  echo "bench: migrations failed; last lines:" >&2
  tail -40 "$work/migrate.log" >&2
  exit 1
fi
if (cd build && "$node" ace.js list 2>/dev/null </dev/null) | grep -q 'demo:seed'; then
  echo "bench: seeding (ace demo:seed)"
  if ! (cd build && timeout 180 "$node" ace.js demo:seed) >"$work/seed.log" 2>&1 </dev/null; then
    echo "bench: WARNING: demo:seed failed; pages that need the office profile will redirect. Last lines:" >&2
    tail -20 "$work/seed.log" >&2
  fi
else
  echo "bench: WARNING: ace demo:seed does not exist yet; skipping seeding (pages that need an office profile and an admin will redirect to /setup and FAIL)" >&2
fi

# 3b. Fees data set (issue 4 targets): 20,000 taxpayers with decisions and payments.
echo "bench: fees data set (bench/fees.ts seed)"
if ! "$node" --import=@poppinss/ts-exec bench/fees.ts seed >"$work/fees-seed.log" 2>&1 </dev/null; then
  echo "bench: WARNING: the fees data set failed; fees figures will be missing. Last lines:" >&2
  tail -20 "$work/fees-seed.log" >&2
else
  tail -1 "$work/fees-seed.log"
fi

# 4. Load. Servers on core 0 (the runner pins them), load generator (this runner) on core 1.
export BENCH_BUILD_DIR="$root/build" BENCH_PID_FILE="$work/pids" BENCH_LOG_DIR="$work"
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null && taskset -c 1 true 2>/dev/null; then
  export BENCH_SERVER_CPU=0
  pin=(taskset -c 1)
else
  unset BENCH_SERVER_CPU
  echo "bench: WARNING: taskset or a second core is missing; running without CPU pinning" >&2
fi
"${pin[@]}" "$node" --import=@poppinss/ts-exec bench/run.ts "$@" &
runner_pid=$!
wait "$runner_pid"
status=$?
runner_pid=
echo "bench: finished in $(($(date +%s) - started)) s"
exit "$status"
