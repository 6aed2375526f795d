# Shared by bench/cluster-bench.sh and bench/storage-bench.sh (sourced, not run): builds the binaries, starts a
# throw-away store (Redis or PostgreSQL) and silos on it, all on loopback, and removes everything on exit.
#   ROOT: the checkout whose binaries run (default: this one), e.g. ROOT=/work/wt-before for an older commit.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
dotnet build "$ROOT/src/ExperimentCluster.Cli" -c Release -v q -nologo >/dev/null
SILO=$ROOT/src/ExperimentCluster.Silo/bin/Release/net10.0/ExperimentCluster.Silo.dll
EXCL="dotnet $ROOT/src/ExperimentCluster.Cli/bin/Release/net10.0/excl.dll"
WORK=$(mktemp -d); PIDS=(); PG_DIRS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for d in "${PG_DIRS[@]}"; do pg_tool pg_ctl -D "$d/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$d"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

tiny_sweep() { cat <<JSON
{ "name": "tiny", "training": { "dataset": "iris", "layers": [], "batch_size": 120, "epochs": 1 },
  "search": { "strategy": "random", "trials": $1, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } }, "concurrency": 64 }
JSON
}

# start_redis DIR [FSYNC]: Redis append-only in DIR; sets REDIS_PORT and STORE_ENV (the silos' store settings).
start_redis() {
  REDIS_PORT=$(port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --appendonly yes --appendfsync "${2:-everysec}" --dir "$1" --save '' >"$1/redis.log" 2>&1 & disown; PIDS+=($!)
  until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.2; done
  STORE_ENV=(Cluster__Mode=cluster "Cluster__Redis=127.0.0.1:$REDIS_PORT")
}

# PostgreSQL as the tests start it (tests/.../Postgres/PostgresServer.cs): Debian's binaries, initdb in a temporary
# folder, pg_ctl on a free loopback port, user excl with a password (scram) on TCP, trust on the folder's socket;
# as the postgres user when root (PostgreSQL refuses root), through setpriv. PG_BIN: the folder of initdb (through a
# link on PATH), which also holds psql.
PG_BIN=$(command -v initdb >/dev/null && dirname "$(readlink -f "$(command -v initdb)")" || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_PASSWORD=bench-password
pg_tool() {
  local tool=$PG_BIN/$1; shift
  # From / : the postgres user may not enter the caller's folder (a root-owned mktemp one).
  if [ "$(id -u)" = 0 ]; then (cd / && setpriv --reuid postgres --regid postgres --init-groups -- "$tool" "$@"); else "$tool" "$@"; fi
}
# start_postgres: a server in its own /tmp folder (every folder above the data must be traversable by postgres) with
# an empty database excl; sets PG_PORT, PG_DIR and STORE_ENV.
start_postgres() {
  PG_PORT=$(port); PG_DIR=$(mktemp -d /tmp/excl-pg-XXXXXX); PG_DIRS+=("$PG_DIR")
  echo "$PG_PASSWORD" >"$PG_DIR/password"; if [ "$(id -u)" = 0 ]; then chown -R postgres "$PG_DIR"; fi
  pg_tool initdb -D "$PG_DIR/data" -U excl --pwfile "$PG_DIR/password" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-sync >/dev/null
  pg_tool pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c max_connections=200" >/dev/null
  psql_excl postgres -c 'CREATE DATABASE excl' >/dev/null
  STORE_ENV=(Cluster__Mode=postgres "Cluster__Postgres=Host=127.0.0.1;Port=$PG_PORT;Database=excl;Username=excl" "Cluster__PostgresPassword=$PG_PASSWORD")
}
# psql_excl DATABASE ARGS...: psql over the server's own socket (trust), quiet, unaligned.
psql_excl() { local db=$1; shift; "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U excl -d "$db" -qAt "$@"; }

# start_store STORE DIR: redis (REDIS_FSYNC) or postgres.
start_store() {
  case $1 in
    redis) start_redis "$2" "${REDIS_FSYNC:-everysec}" ;;
    postgres) start_postgres ;;
    *) echo "STORE: '$1' is not a store; use redis or postgres" >&2; exit 2 ;;
  esac
}

# start_silos N SLOTS DIR: N silos on STORE_ENV, each waited for until healthy; sets GATEWAYS, SILO_PIDS, HTTP (the first
# silo's URL) and HTTPS (every silo's).
start_silos() {
  GATEWAYS=""; SILO_PIDS=(); HTTP=""; HTTPS=()
  for i in $(seq 1 "$1"); do
    local sp gp hp; sp=$(port); gp=$(port); hp=$(port)
    env "${STORE_ENV[@]}" Cluster__SiloPort="$sp" Cluster__GatewayPort="$gp" Urls="http://127.0.0.1:$hp" \
      Experiments__TrainingSlots="$2" Logging__LogLevel__Default=Warning dotnet "$SILO" >"$3/silo$i.log" 2>&1 & disown
    PIDS+=($!); SILO_PIDS+=($!)
    GATEWAYS="$GATEWAYS${GATEWAYS:+,}127.0.0.1:$gp"; HTTP=${HTTP:-http://127.0.0.1:$hp}; HTTPS+=("http://127.0.0.1:$hp")
    until curl -sf "http://127.0.0.1:$hp/health" >/dev/null; do sleep 0.2; done
  done
}

# stop_silos [SIGNAL]: SIGTERM (a graceful stop, which writes the grains' last state) waits until they have exited.
stop_silos() {
  for p in "${SILO_PIDS[@]}"; do kill -"${1:-TERM}" "$p" 2>/dev/null || true; done
  for p in "${SILO_PIDS[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
}

# busy_seconds: the training slots' busy seconds summed over the silos (the counter behind the embedded `bench sweep`'s figure).
busy_seconds() {
  for h in "${HTTPS[@]}"; do curl -sf "$h/metrics"; done | awk '/^excl_training_slots_busy_seconds_total/ { s += $NF } END { printf "%.3f", s }'
}
