#!/usr/bin/env bash
# cx against polars and DuckDB on generated long-format surveys.
#
# Usage: bench/peers.sh [RUNS] [ROWS...]        (default: 5 runs of 1M and 10M rows)
#
# One-time setup of the peers' Python environment (pinned versions):
#   python3 -m venv bench/.venv && bench/.venv/bin/pip install -r ../shared/bench/requirements.txt
#
# For each file size it generates the file into a temporary folder (never
# committed), reads it once into the page cache, then runs cx, polars and
# DuckDB alternately RUNS times each, at one thread and at all threads, timing
# each run with /usr/bin/time; it prints the median wall time, CPU time and
# peak RSS per engine and configuration, the ratio cx / peer, and checks that
# cx's numbers equal the peers' to 1e-9.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared/bench"
python="${PYTHON:-$root/bench/.venv/bin/python}"
runs="${1:-5}"
shift || true
sizes=("${@:-1000000 10000000}")
read -r -a sizes <<<"${sizes[*]}"
cores=$(nproc)

[ -x "$python" ] || { echo "no Python environment at $python; see the setup line at the top of $0" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 2; }
cargo build --profile dist -q -p cx-cli
cx="$root/target/dist/cx"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# time_run NAME THREADS COMMAND...: appends "wall cpu rss_kb" to $work/NAME-THREADS.times
time_run() {
  local name=$1 threads=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/last.time" "$@" > "$work/$name-$threads.out"
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/last.time" >> "$work/$name-$threads.times"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(uname -srm); $(date -u +%Y-%m-%d)"
echo "cx $("$cx" --version | cut -d' ' -f2), $("$python" -c 'import polars, duckdb; print(f"polars {polars.__version__}, duckdb {duckdb.__version__}")')"
status=0
for rows in "${sizes[@]}"; do
  file="$work/obs_$rows.csv"
  "$python" "$shared/gen_observations.py" "$rows" "$file" --seed 1 > /dev/null
  cat "$file" > /dev/null
  rm -f "$work"/*.times
  for threads in 1 "$cores"; do
    for _ in $(seq "$runs"); do
      time_run cx "$threads" "$cx" score "$file" --journey bench/journey.toml --by segment --format json --threads "$threads"
      time_run polars "$threads" env POLARS_MAX_THREADS="$threads" "$python" "$shared/peer_polars.py" "$file"
      time_run duckdb "$threads" "$python" "$shared/peer_duckdb.py" "$file" --threads "$threads"
    done
  done
  echo
  echo "$rows rows ($(du -m "$file" | cut -f1) MB), median of $runs runs:"
  printf '  %-8s %-8s %9s %9s %9s %14s %14s\n' threads engine "wall s" "cpu s" "rss MB" "cx/polars wall" "cx/duckdb wall"
  for threads in 1 "$cores"; do
    median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
    cx_wall=$(median "$work/cx-$threads.times" 1)
    for engine in cx polars duckdb; do
      wall=$(median "$work/$engine-$threads.times" 1)
      cpu=$(median "$work/$engine-$threads.times" 2)
      rss=$(median "$work/$engine-$threads.times" 3)
      if [ "$engine" = cx ]; then
        p=$(median "$work/polars-$threads.times" 1); d=$(median "$work/duckdb-$threads.times" 1)
        ratios=$(awk -v c="$cx_wall" -v p="$p" -v d="$d" 'BEGIN { printf "%14.2f %14.2f", c / p, c / d }')
      else
        ratios=""
      fi
      printf '  %-8s %-8s %9s %9s %9d %s\n' "$threads" "$engine" "$wall" "$cpu" $((rss / 1024)) "$ratios"
    done
  done
  "$python" bench/check_outputs.py "$work/cx-1.out" "$work/polars-1.out" "$work/duckdb-1.out" || status=1
  cmp -s "$work/cx-1.out" "$work/cx-$cores.out" && echo "  cx at 1 and $cores threads: identical output" || { echo "  cx output differs between thread counts"; status=1; }
done
exit $status
