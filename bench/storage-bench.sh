#!/usr/bin/env bash
# Storage benchmark: the bytes each store holds after (a) the lr-decades example (18 runs x 20 epochs on digits) and
# (b) a sweep of tiny runs (cluster-bench.sh's), each workload alone on a fresh store and one silo (2 slots):
#   sqlite:   an embedded `excl run --data-dir`; after it exits, wal_checkpoint(TRUNCATE), then the SQLite files (*.db*);
#   redis:    after the silo's graceful stop (its grains' last writes), used_memory_dataset, then BGREWRITEAOF and,
#             once done, the append-only files on disk (the manifest and the files it lists);
#   postgres: after the silo's graceful stop, VACUUM FULL, then the sum of pg_total_relation_size of the database's own
#             tables (pg_database_size, which adds the ~7.5 MB of an empty database's catalogue, in brackets).
# Usage: bench/storage-bench.sh [tiny-runs=1000]
#   environment: STORES="sqlite redis postgres" (which to measure), ROOT=/path/to/checkout (whose binaries run, e.g.
#   a worktree of an older commit)
set -euo pipefail
TINY=${1:-1000}; SLOTS=2
source "$(dirname "$0")/cluster-lib.sh"

# workload_args NAME: the arguments of `excl run` / `excl submit` that start it (a sweep file written into DIR).
workload_args() {
  case $1 in
    lr-decades) echo "--example lr-decades" ;;
    tiny) tiny_sweep "$TINY" >"$DIR/tiny.json"; echo "$DIR/tiny.json" ;;
  esac
}
# report STORE WORKLOAD BYTES WHAT
report() { awk -v s="$1" -v w="$2" -v b="$3" -v what="$4" 'BEGIN { printf "%-8s %-16s %11d bytes = %7.2f MB  %s\n", s, w, b, b / 1e6, what }'; }
redis_info() { redis-cli -p "$REDIS_PORT" info "$1" | tr -d '\r' | sed -n "s/^$2:\([0-9]*\).*/\1/p"; }

measure_sqlite() {
  local bytes
  bytes=$(python3 - "$DIR/data" <<'PY'
import glob, os, sqlite3, sys
free = 0
for db in glob.glob(os.path.join(sys.argv[1], "*.db")):
    c = sqlite3.connect(db); c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    free += c.execute("PRAGMA freelist_count").fetchone()[0] * c.execute("PRAGMA page_size").fetchone()[0]; c.close()
print(sum(os.path.getsize(f) for f in glob.glob(os.path.join(sys.argv[1], "*.db*"))), free)
PY
)
  report sqlite "$1" "${bytes% *}" "SQLite files after wal_checkpoint(TRUNCATE) ($(cd "$DIR/data" && ls -- *.db* | tr '\n' ' ')), ${bytes#* } bytes of it free pages"
}
measure_redis() {
  local dataset aof
  dataset=$(redis_info memory used_memory_dataset)
  redis-cli -p "$REDIS_PORT" bgrewriteaof >/dev/null
  until [ "$(redis_info persistence aof_rewrite_in_progress)$(redis_info persistence aof_rewrite_scheduled)" = 00 ]; do sleep 0.2; done
  aof=$(cd "$DIR/appendonlydir" && du -cb -- *.manifest $(awk '$6 != "h" { print $2 }' ./*.manifest) | tail -1 | cut -f1)
  report redis "$1" "$aof" "append-only files after BGREWRITEAOF (RDB preamble); used_memory_dataset $dataset bytes, $(redis-cli -p "$REDIS_PORT" dbsize) keys"
}
measure_postgres() {
  local tables database
  psql_excl excl -c 'VACUUM FULL'
  tables=$(psql_excl excl -c 'SELECT sum(pg_total_relation_size(relid)) FROM pg_stat_user_tables')
  database=$(psql_excl excl -c "SELECT pg_database_size('excl')")
  report postgres "$1" "$tables" "its tables after VACUUM FULL, sum of pg_total_relation_size (pg_database_size $database)"
}

for STORE in ${STORES:-sqlite redis postgres}; do
  for W in lr-decades tiny; do
    DIR=$WORK/$STORE-$W; mkdir -p "$DIR"; cd "$DIR"
    if [ "$STORE" = sqlite ]; then
      # shellcheck disable=SC2046 # the workload's arguments are words
      $EXCL run $(workload_args $W) --id "$W" --data-dir "$DIR/data" --slots "$SLOTS" --json >run.log
    else
      start_store "$STORE" "$DIR"; start_silos 1 "$SLOTS" "$DIR"
      # shellcheck disable=SC2046
      $EXCL submit $(workload_args $W) --id "$W" --gateway "$GATEWAYS" >/dev/null
      $EXCL watch "$W" --gateway "$GATEWAYS" --json >/dev/null
      stop_silos TERM
    fi
    measure_"$STORE" "$W$([ $W = tiny ] && echo " $TINY runs")"
  done
done
