#!/usr/bin/env bash
# Starts the production build (./build) with the V8 flags of config/node_flags.json.
# Configuration comes from the environment (on a server: /etc/ratusz/ratusz.env).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mapfile -t flags < <("$root/node_modules/.bin/node" -e "for (const f of require('./config/node_flags.json').production) console.log(f)")
[ -e build/node_modules ] || ln -s ../node_modules build/node_modules
cd build
exec "$root/node_modules/.bin/node" "${flags[@]}" bin/server.js
