#!/usr/bin/env bash
# Prints the growth table of `micro` synthesis: services, files, bytes, time
# to stdout, time to disk, peak memory, for generated settings with 10, 100
# and 1000 services (benches/support/micro_services.rs makes them).
#
#   bash scripts/growth.sh            # 10 100 1000
#   bash scripts/growth.sh 10 100     # other sizes
#   RUNS=20 bash scripts/growth.sh    # more hyperfine runs per size
#
# Whole processes of the release binary: hyperfine (-N, no shell) for the
# times, GNU time's maximum resident set size for peak memory. Disk runs
# write into a fresh directory each time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "growth.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "growth.sh needs GNU time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --bin stackcraft --example micro_services
bin=target/release/stackcraft
gen=target/release/examples/micro_services
runs=${RUNS:-10}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The main columns check every template (--no-cache); "stdout, unchanged"
# re-runs with the templates already passed (the gate cache, README).
export STACKCRAFT_CACHE_DIR="$work/cache"

# Mean wall time of a hyperfine JSON export, in ms.
mean_ms() { python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$1"; }

echo "| services | files | bytes | time to stdout | time to disk | peak memory (stdout / disk) | stdout, unchanged |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  cfg="$work/micro-$n.yaml"
  "$gen" "$n" > "$cfg"
  "$bin" synth micro --config "$cfg" --stdout > "$work/stdout" 2>/dev/null
  files=$(grep -c '^==> .* <==$' "$work/stdout" || true)
  out="$work/out-$n"
  "$bin" synth micro --config "$cfg" --out "$out" 2>/dev/null
  bytes=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  hyperfine -N -w 1 -r "$runs" --output=null --export-json "$work/s.json" \
    "$bin synth micro --config $cfg --stdout --no-cache" >/dev/null 2>&1
  hyperfine -N -w 1 -r "$runs" --output=null --export-json "$work/d.json" \
    --prepare "rm -rf $out" "$bin synth micro --config $cfg --out $out --no-cache" >/dev/null 2>&1
  hyperfine -N -w 1 -r "$runs" --output=null --export-json "$work/u.json" \
    "$bin synth micro --config $cfg --stdout" >/dev/null 2>&1
  /usr/bin/time -f %M -o "$work/mem" "$bin" synth micro --config "$cfg" --stdout --no-cache >/dev/null 2>&1
  mem_s=$(tail -1 "$work/mem")
  rm -rf "$out"
  /usr/bin/time -f %M -o "$work/mem" "$bin" synth micro --config "$cfg" --out "$out" --no-cache >/dev/null 2>&1
  mem_d=$(tail -1 "$work/mem")
  printf '| %s | %s | %s | %s ms | %s ms | %s / %s MB | %s ms |\n' "$n" "$files" "$bytes" \
    "$(mean_ms "$work/s.json")" "$(mean_ms "$work/d.json")" \
    "$(awk -v k="$mem_s" 'BEGIN {printf "%.0f", k/1024}')" "$(awk -v k="$mem_d" 'BEGIN {printf "%.0f", k/1024}')" \
    "$(mean_ms "$work/u.json")"
done
