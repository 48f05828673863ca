#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback (trust auth, role `starship`) for the PostgreSQL tests and
# benchmarks, and prints its URL. Durability is switched off: the cluster lives in a temporary directory and
# only ever holds test data. Stop it with `tools/postgres-cluster.sh stop DIR`.
#   usage: tools/postgres-cluster.sh start [DIR]   → prints postgres://starship@127.0.0.1:PORT/postgres
#          tools/postgres-cluster.sh stop DIR
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql)" >&2
  exit 1
fi
# initdb and postgres refuse to run as root; the Debian package creates the `postgres` user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=${2:-$(mktemp -d /tmp/starship-pg.XXXXXX)}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_owner "$bin/initdb" -D "$dir/data" -U starship --auth=trust -E UTF8 >"$dir/initdb.log"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
    echo "postgres://starship@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "${2:?cluster directory}/data" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
