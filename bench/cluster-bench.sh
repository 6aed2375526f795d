#!/usr/bin/env bash
# Cluster benchmark: 1, 2 and 3 silo processes on this machine sharing one Redis or PostgreSQL (loopback).
#   (1) tiny runs (one step of a linear model on iris): end-to-end runs/s through the gateways, state in the store;
#   (2) CPU-bound runs (digits, 512-512, 20 epochs, as in the `sweep` benchmark of bench/ExperimentCluster.Bench): slot utilisation = training seconds of all epochs (the
#       trainer's own clock) over wall time x slots in the cluster.
# Usage: bench/cluster-bench.sh [tiny-runs=1000] [cpu-runs-per-slot=2] [slots-per-silo=2]
#   environment: STORE=redis|postgres (the silos' store, default redis; postgres: a throw-away PostgreSQL as the tests start it),
#   REDIS_FSYNC=everysec|always|no (Redis' appendfsync, default everysec), SILOS="1 2 3" (the cluster sizes),
#   ROOT=/path/to/checkout (whose binaries run, default this one), CPU_EPOCHS (epochs of each CPU-bound run, default 20),
#   CPU_QUEUE (runs per slot started beyond the slots, waiting in the silo's queue for one to free: default 0, concurrency = slots)
set -euo pipefail
TINY=${1:-1000}; PER_SLOT=${2:-2}; SLOTS=${3:-2}; FSYNC=${REDIS_FSYNC:-everysec}; STORE=${STORE:-redis}
source "$(dirname "$0")/cluster-lib.sh"

cpu_sweep() { cat <<JSON
{ "name": "cpu", "training": { "dataset": "digits", "layers": [512, 512], "batch_size": 32, "epochs": ${CPU_EPOCHS:-20} },
  "search": { "strategy": "random", "trials": $1, "space": { "learning_rate": { "log_uniform": [0.001, 0.1] } } }, "concurrency": $2 }
JSON
}

for N in ${SILOS:-1 2 3}; do
  DIR=$WORK/$N; mkdir -p "$DIR"
  start_store "$STORE" "$DIR"
  start_silos "$N" "$SLOTS" "$DIR"
  cd "$DIR"
  tiny_sweep 20 > warm.json; $EXCL submit warm.json --id warm --gateway "$GATEWAYS" >/dev/null; $EXCL watch warm --gateway "$GATEWAYS" --json >/dev/null
  tiny_sweep "$TINY" > tiny.json
  T0=$(date +%s.%N); $EXCL submit tiny.json --id tiny --gateway "$GATEWAYS" >/dev/null
  $EXCL watch tiny --gateway "$GATEWAYS" --json >/dev/null; T1=$(date +%s.%N)
  CPU_RUNS=$((N * SLOTS * PER_SLOT)); cpu_sweep "$CPU_RUNS" $((N * SLOTS * (1 + ${CPU_QUEUE:-0}))) > cpu.json
  B0=$(busy_seconds); C0=$(date +%s.%N); $EXCL submit cpu.json --id cpu --gateway "$GATEWAYS" >/dev/null
  $EXCL watch cpu --gateway "$GATEWAYS" --json >/dev/null; C1=$(date +%s.%N)
  $EXCL export cpu --format json --out cpu-export.json --gateway "$GATEWAYS" >/dev/null
  curl -sf "$HTTP/api/sweeps" > sweeps.json; B1=$(busy_seconds)
  python3 - "$N" "$TINY" "$T0" "$T1" "$C0" "$C1" "$((N * SLOTS))" "$CPU_RUNS" "$STORE" "$FSYNC" "$B0" "$B1" <<'PY'
import json, sys
from datetime import datetime
n, tiny, t0, t1, c0, c1, slots, runs, store, fsync, b0, b1 = sys.argv[1:]
d = json.load(open("cpu-export.json"))
busy = sum(e["seconds"] for r in d["runs"] for e in r["epochs"])
wall = float(c1) - float(c0)
# The sweep's own time, created to finished: the client's wall also holds starting two excl processes and watch's last poll.
view = next(v for v in json.load(open("sweeps.json")) if v["id"] == "cpu")
own = (datetime.fromisoformat(view["finished_at"]) - datetime.fromisoformat(view["created_at"])).total_seconds()
print(f"{n} silo(s), {'redis, appendfsync ' + fsync if store == 'redis' else store}: tiny {int(tiny)} runs in {float(t1)-float(t0):.1f} s = {int(tiny)/(float(t1)-float(t0)):.0f} runs/s; "
      f"cpu {len(d['runs'])} runs x {len(d['runs'][0]['epochs'])} epochs ({sum(r['status'] == 'completed' for r in d['runs'])} completed) on {slots} slots: {busy:.1f} training s; "
      f"utilisation {busy/(own*int(slots)):.1%} of the sweep's {own:.1f} s, {busy/(wall*int(slots)):.1%} of the client's {wall:.1f} s; "
      # The slots' own busy seconds (training plus taking each epoch's checkpoint), as the embedded `bench sweep` counts them.
      f"slots busy {float(b1)-float(b0):.1f} s = {(float(b1)-float(b0))/(own*int(slots)):.1%} of the sweep's time")
PY
  cd - >/dev/null
  stop_silos KILL
done
