#!/usr/bin/env bash
# Interleaves the `train` benchmark (bench/ExperimentCluster.Bench) (float32 and float64) with bench/pytorch_digits.py, several rounds, and keeps each
# case's best figure: the machine is shared, and the best of several runs is the least disturbed one.
# usage: bench/compare.sh [ROUNDS] [DATA_DIR]     (PyTorch: apt-get install python3-torch; optional OpenBLAS below)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=${2:-../shared/datasets}
out=$(mktemp -d)
dotnet build bench/ExperimentCluster.Bench -c Release -v q -nologo >/dev/null
bench=bench/ExperimentCluster.Bench/bin/Release/net10.0/ExperimentCluster.Bench
# Debian's python3-torch uses the reference BLAS by default; PYTORCH_BLAS_DIR can point at an OpenBLAS
# (e.g. the openblas-pthread directory of Debian's libopenblas0-pthread) to compare against an optimised BLAS.
blas_env=()
if [ -n "${PYTORCH_BLAS_DIR:-}" ]; then blas_env=(env "LD_LIBRARY_PATH=$PYTORCH_BLAS_DIR" OPENBLAS_NUM_THREADS=1); fi
for r in $(seq "$rounds"); do
  "$bench" train --json --repeats 3 --precision float32 > "$out/f32-$r.json"
  "$bench" train --json --repeats 3 --precision float64 > "$out/f64-$r.json"
  "${blas_env[@]}" /usr/bin/python3 bench/pytorch_digits.py --data "$data" --repeats 3 --json > "$out/torch-$r.json"
done
/usr/bin/python3 - "$out" "$rounds" <<'PY'
import json, sys, glob, os
out, rounds = sys.argv[1], int(sys.argv[2])
def best(prefix, key):
    result, extra = {}, {}
    for path in glob.glob(os.path.join(out, prefix + "-*.json")):
        lines = [json.loads(l) for l in open(path) if l.strip()]
        cases = lines[0]["cases"] if "cases" in lines[0] else [l for l in lines if "model" in l]
        for c in cases:
            k = (c["model"], c["batch_size"])
            result[k] = max(result.get(k, 0), c[key])
        for l in lines:
            if "peak_working_set_mib" in l: extra["peak"] = max(extra.get("peak", 0), l["peak_working_set_mib"])
            if "peak_rss_mb" in l: extra["peak"] = max(extra.get("peak", 0), l["peak_rss_mb"])
    return result, extra
for key, title in (("samples_per_second", "samples per wall-clock second"), ("samples_per_cpu_second", "samples per CPU second")):
    f32, m32 = best("f32", key)
    f64, m64 = best("f64", key)
    torch, mt = best("torch", key)
    print(f"\n{title} (best of {rounds} rounds x 3 repeats)\n")
    print(f"| model | batch | excl float32 | excl float64 | PyTorch | float32 / PyTorch | float64 / PyTorch | float32 / float64 |")
    print(f"|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in f32:
        print(f"| {k[0]} | {k[1]} | {f32[k]:,.0f} | {f64[k]:,.0f} | {torch[k]:,.0f} | {f32[k]/torch[k]:.2f}x | {f64[k]/torch[k]:.2f}x | {f32[k]/f64[k]:.2f}x |")
print(f"\npeak memory (whole process): excl float32 {m32['peak']:.0f} MiB, float64 {m64['peak']:.0f} MiB, PyTorch {mt['peak']:.0f} MiB")
PY
