#!/usr/bin/env bash
# npm start: prepares and starts Ratusz on the embedded SQLite database with
# demo data. Migrations run, demo data is seeded into an empty database, the
# web server and the queue worker start, the URL and demo logins are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
node=node_modules/.bin/node
[ -x "$node" ] || { echo "Run 'npm ci' first (node_modules/.bin/node is missing)." >&2; exit 1; }

if [ ! -f .env ]; then
  cp .env.example .env
  key=$("$node" -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")
  sed -i "s|^APP_KEY=.*|APP_KEY=$key|" .env
  chmod 600 .env
  echo "Created .env with a new APP_KEY."
fi

"$node" ace.js migration:run --force
if "$node" ace.js demo:seed --json > /tmp/ratusz-demo-logins.$$ 2>/dev/null; then
  echo "Demo data seeded."
fi
rm -f /tmp/ratusz-demo-logins.$$
"$node" ace.js scheduler:sync

port=$(grep -E '^PORT=' .env | cut -d= -f2)
port=${port:-3333}

"$node" ace.js queue:work &
worker=$!
"$node" --import=@poppinss/ts-exec bin/server.ts &
web=$!

stop() {
  kill -TERM "$worker" 2>/dev/null || true
  kill -TERM "$web" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/up" >/dev/null 2>&1 && break
  sleep 0.2
done

cat <<INFO

  Ratusz is running: http://localhost:$port/
  Staff panel (office LAN/VPN only): http://localhost:$port/panel
  e-BOK for residents:              http://localhost:$port/konto

  Demo logins (password for all: Przykladowa#2026)
    panel:  admin (TOTP: run './ace demo:code admin' for the current code), sekretarz, skarbnik, podatki, urzednik, nauczyciel
    e-BOK:  mieszkaniec@przykladowa.localhost
  Outgoing e-mail is not sent in demo mode: read it at /panel/admin/wiadomosci.
  Stop with Ctrl+C.

INFO
wait "$web"
