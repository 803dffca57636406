#!/usr/bin/env bash
# Stop what up.sh started, by the PIDs it recorded (and pg_ctl for its own cluster).
D=${SOCIALKIT_IT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socialkit-it/atproto}
R=${SOCIALKIT_IT_RUN:-${TMPDIR:-/tmp}/socialkit-it-atproto-$(id -u)}  # the postgres user must reach it
[ -d "$R" ] || exit 0
stop() {  # stop the process in pid file $1, waiting up to 10 s before SIGKILL
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$1"
}
stop "$R/network.pid"
stop "$R/redis.pid"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -f "$R/pg/data/postmaster.pid" ]; then
  if [ "$(id -u)" = 0 ]; then
    su "${SOCIALKIT_IT_PG_USER:-postgres}" -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$R/pg/data' -m fast -w stop" >/dev/null
  else
    "$PGBIN/pg_ctl" -D "$R/pg/data" -m fast -w stop >/dev/null
  fi
fi
echo "atproto stack stopped"
