#!/usr/bin/env bash
# Same-day before/after: scripts/bench-compare.sh BASE_CHECKOUT NEW_CHECKOUT (each built with `make build` or `mvn package`);
# sends and fan-out through the one-process system, back to back, with the load average beside each.
set -u
export BENCH_SCENARIOS="sendrate fanout"
export BENCH_WARMUP_SECONDS=20
export BENCH_SENDRATE_ARGS="--concurrency 32 --threads 32 --warmup 5 --duration 10"
export BENCH_FANOUT_ARGS="--threads 100 --members 10 --rate 1000 --warmup 5 --duration 10"
export BENCH_FANOUT_SUSTAINED_ARGS=""
export BENCH_SENDRATE_WIDE_ARGS=""
for dir in "$@"; do
  echo "=== $dir $(git -C $dir log --oneline -1 | cut -c1-60) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$dir" && bash scripts/bench.sh 2>&1 | grep -E "^\||sends/s|msg/s|machine|Measured" | head -20)
done
