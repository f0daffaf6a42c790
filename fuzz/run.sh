#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), JOBS at a time
# (default 1), on the committed corpora, which grow as the fuzzer finds new
# inputs.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz asks for nightly
# Rust; on a stable toolchain this script sets RUSTC_BOOTSTRAP=1 so that the
# stable compiler accepts the sanitizer flags. A crash is written to
# fuzz/artifacts/TARGET/ and stops that target; the script then exits 1 and
# lists it. Turn each crash into a regression test in the crate at fault (a
# catalogue case in crates/cx-io/tests/catalogue_*.rs, or a unit test) before
# fixing it; `cargo fuzz fmt TARGET ARTIFACT` prints the input.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
jobs="${JOBS:-1}"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"

command -v cargo-fuzz > /dev/null || { echo "needs cargo-fuzz: cargo install cargo-fuzz" >&2; exit 2; }
cargo fuzz build
mkdir -p logs
run_one() {
  local target=$1
  # Inputs above 1 MiB add nothing the field-size limits do not already cover.
  if cargo fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 \
      > "logs/$target.log" 2>&1; then
    echo "$target: no crash in ${seconds}s ($(grep -Eo '#[0-9]+' "logs/$target.log" | tail -1 | tr -d '#') runs)"
  else
    echo "$target: CRASH, see fuzz/logs/$target.log and fuzz/artifacts/$target/"
    return 1
  fi
}
status=0
running=0
for target in "${targets[@]}"; do
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
