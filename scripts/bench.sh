#!/usr/bin/env bash
# `make bench`: starts the one-process system (rate limits off, JVM flags from JAVA_OPTS) against a fresh
# Postgres database `chat_bench` on 127.0.0.1:5432 (or, without one, an embedded Postgres in a temp dir),
# runs the load generator's scenarios against it, writes every result line to bench-results/<stamp>.jsonl
# (and bench-results/latest.jsonl) and prints the Markdown table.
#
#   scripts/bench.sh [--readme] [--quick] [--profile]
#     --readme   also write the full table into docs/performance.md and the short one into README.md, each
#                between <!-- bench:start --> and <!-- bench:end -->
#     --quick    small sizes and 3 s windows (a smoke run of the harness, ~1 minute)
#     --profile  record a JFR profile of the server per scenario (bench-results/<stamp>-<scenario>.jfr) and
#                print each one's hot methods after the table
#   BENCH_SCENARIOS="sendrate fanout unread connections cluster"   which scenarios, in order (cluster runs last)
#   cluster: two gateways and the messaging, presence and unread services, each its own JVM, clustered over
#   Hazelcast with the event bus in mutual TLS as `make cluster` runs them (scripts/cluster.sh, in
#   bench-results/<stamp>-cluster, its own cluster name, free ports, database chat_bench_cluster and Redis
#   prefix); the one-process server is stopped first. After a warm-up, sendrate and fanout run through both
#   gateways; the table gives each JVM's cores and CPU time per operation. It needs the machine's Postgres and
#   Redis. BENCH_CLUSTER_SENDRATE_ARGS / BENCH_CLUSTER_FANOUT_ARGS replace its runs' options,
#   BENCH_CLUSTER_JAVA_OPTS its JVMs' flags, BENCH_CLUSTER_WARMUP_SECONDS its warm-up (sends; fan-out half as long)
#   BENCH_SENDRATE_ARGS / BENCH_FANOUT_ARGS / BENCH_UNREAD_ARGS / BENCH_CONNECTIONS_ARGS replace a scenario's
#   options (e.g. BENCH_FANOUT_ARGS="--threads 100 --members 10 --rate 1000 --duration 10");
#   BENCH_FANOUT_SUSTAINED_ARGS those of the second fan-out run at a sustainable rate ("" skips it)
#   BENCH_SENDRATE_WIDE_ARGS those of the second send run with more sends in flight ("" skips it)
#   BENCH_PORT=18080  JAVA_OPTS="..." (server)  LOADGEN_OPTS="..." (load generator)
#   BENCH_WARMUP_SECONDS=60  a discarded send run before the scenarios, then half as long a fan-out run (0: none)
set -euo pipefail
cd "$(dirname "$0")/.."

readme=0 quick=0 profile=0
for arg in "$@"; do
  case "$arg" in
    --readme) readme=1 ;;
    --quick) quick=1 ;;
    --profile) profile=1 ;;
    *) echo "bench: unknown option $arg" >&2; exit 2 ;;
  esac
done

port=${BENCH_PORT:-18080}
server_opts=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx2g -XX:+ExitOnOutOfMemoryError}
loadgen_opts=${LOADGEN_OPTS:--XX:+UseParallelGC -Xms256m -Xmx2g -XX:TieredStopAtLevel=4}
scenarios=${BENCH_SCENARIOS:-sendrate fanout unread connections cluster}
cluster_opts=${BENCH_CLUSTER_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError}
cluster_names=(gateway-1 gateway-2 messaging presence unread)
standalone=0 cluster=0
for s in $scenarios; do
  case "$s" in
    cluster) cluster=1 ;;
    sendrate|fanout|unread|connections) standalone=1 ;;
    *) echo "bench: unknown scenario $s" >&2; exit 2 ;;
  esac
done
server_jar=standalone/target/standalone-all.jar
loadgen_jar=loadgen/target/loadgen-all.jar
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench-results
results=bench-results/$stamp.jsonl
server_log=bench-results/$stamp-server.log

if { [ "$standalone" = 1 ] && [ ! -f "$server_jar" ]; } || [ ! -f "$loadgen_jar" ]; then
  mvn -B -ntp -q -DskipTests install
fi

ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$quick" = 1 ]; then
  sendrate_args="--concurrency 32 --threads 32 --warmup 2 --duration 3"
  fanout_args="--threads 20 --members 10 --rate 500 --warmup 2 --duration 3"
  fanout_sustained_args=""
  sendrate_wide_args=""
  unread_args="--threads 200 --messages 20000 --big-threads 2000 --light-messages 1 --duration 3"
  connections_args="--count 2000 --users 20 --broadcasts 2"
  cluster_sendrate_args="--concurrency 32 --threads 32 --warmup 2 --duration 3"
  cluster_fanout_args="--threads 20 --members 10 --rate 300 --warmup 2 --duration 3"
else
  sendrate_args="--concurrency 32 --threads 32 --warmup 10 --duration 10"
  fanout_args="--threads 100 --members 10 --rate 5000 --warmup 10 --duration 10"
  fanout_sustained_args="--threads 100 --members 10 --rate 1000 --warmup 5 --duration 10"
  sendrate_wide_args="--concurrency 64 --threads 64 --warmup 5 --duration 10"
  unread_args="--threads 200 --messages 200000 --big-threads 2000 --light-messages 2 --duration 10 --seed-timeout 300"
  connections_args="--count 50000 --users 100 --broadcasts 3"
  # The one-process rows' C=32 sends and sustained fan-out (1,000 msg/s), so the rows compare one to one.
  cluster_sendrate_args="--concurrency 32 --threads 32 --warmup 5 --duration 10"
  cluster_fanout_args="--threads 100 --members 10 --rate 1000 --warmup 5 --duration 10"
fi
cluster_sendrate_args=${BENCH_CLUSTER_SENDRATE_ARGS:-$cluster_sendrate_args}
cluster_fanout_args=${BENCH_CLUSTER_FANOUT_ARGS:-$cluster_fanout_args}
sendrate_args=${BENCH_SENDRATE_ARGS:-$sendrate_args}
fanout_args=${BENCH_FANOUT_ARGS:-$fanout_args}
fanout_sustained_args=${BENCH_FANOUT_SUSTAINED_ARGS-$fanout_sustained_args}
sendrate_wide_args=${BENCH_SENDRATE_WIDE_ARGS-$sendrate_wide_args}
unread_args=${BENCH_UNREAD_ARGS:-$unread_args}
connections_args=${BENCH_CONNECTIONS_ARGS:-$connections_args}

db_env=()
data_dir=""
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'select 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'DROP DATABASE IF EXISTS chat_bench WITH (FORCE)' >/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE chat_bench' >/dev/null
  db_env=(DATABASE_URL=postgres://postgres@127.0.0.1:5432/chat_bench)
  db_desc="Postgres $(psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'show server_version' | cut -d' ' -f1) on 127.0.0.1 (fresh database chat_bench)"
  # A yardstick for the day: what this machine's Postgres alone does (machines of the same kind differ,
  # mostly in fsync latency), in single-row insert commits/s from 32 pgbench clients.
  if command -v pgbench >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d chat_bench -qc 'CREATE TABLE pgbench_calibration (id bigserial PRIMARY KEY, v text)' >/dev/null
    echo "INSERT INTO pgbench_calibration (v) VALUES ('x');" > "${TMPDIR:-/tmp}/chat-bench-insert.sql"
    calib_tps=$(pgbench -h 127.0.0.1 -U postgres -n -c 32 -j 2 -T 5 -f "${TMPDIR:-/tmp}/chat-bench-insert.sql" chat_bench 2>/dev/null \
      | awk '/^tps/ {printf "%.0f", $3}')
    psql -h 127.0.0.1 -U postgres -d chat_bench -qc 'DROP TABLE pgbench_calibration' >/dev/null
    if [ -n "$calib_tps" ]; then
      db_desc="$db_desc; Postgres alone here did $calib_tps single-row insert commits/s (pgbench, 32 clients, 5 s)"
    fi
  fi
else
  data_dir=$(mktemp -d)
  db_env=(CHAT_DATA_DIR="$data_dir")
  db_desc="embedded Postgres (fresh data dir)"
fi

server_pid=""
cluster_env=()
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cluster_sh() { env "${cluster_env[@]}" scripts/cluster.sh "$@"; }
cleanup() {
  stop_server
  if [ ${#cluster_env[@]} -gt 0 ]; then
    # cluster.sh started its JVMs in their own sessions (Ctrl-C does not reach them): stop them by their pid files.
    cluster_sh stop "${cluster_names[@]}" >&2 || true
    rm -rf "$cluster_run/certs" "$cluster_run/attachments"
    redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379}" --scan --pattern "$cluster_prefix*" 2>/dev/null \
      | xargs -r -n 500 redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379}" del >/dev/null 2>&1 || true
    cluster_env=()
  fi
  if [ -n "$data_dir" ]; then rm -rf "$data_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$standalone" = 1 ]; then
  # shellcheck disable=SC2086
  env PORT="$port" CHAT_RATE_LIMITS=off CHAT_DEV_LOGIN=true CLUSTER_ENABLED=false "${db_env[@]}" \
    java $server_opts -jar "$server_jar" >"$server_log" 2>&1 &
  server_pid=$!

  for _ in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "bench: the server died while starting, see $server_log" >&2; tail -20 "$server_log" >&2; exit 1; }
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "bench: the server is not ready after 180 s" >&2; exit 1; }

  # The JIT needs about a minute of traffic on a small machine before the server runs compiled code (C2 alone
  # used ~15 s of CPU here, and was still compiling after 60 s): a discarded send run first, so no measured
  # window pays for compilation.
  warmup_seconds=${BENCH_WARMUP_SECONDS:-$([ "$quick" = 1 ] && echo 3 || echo 60)}
  if [ "$warmup_seconds" -gt 0 ]; then
    echo "bench: warming the server up for ${warmup_seconds} s (not measured)" >&2
    java $loadgen_opts -jar "$loadgen_jar" sendrate --url "http://127.0.0.1:$port" --pid "$server_pid" \
      --concurrency 32 --threads 32 --warmup 0 --duration "$warmup_seconds" >/dev/null \
      || echo "bench: the warm-up run failed (exit $?)" >&2
    # The fan-out path (bridge deliveries, socket writes) is compiled only when it runs: half a minute of
    # deliveries at a rate the machine sustains, also discarded.
    java $loadgen_opts -jar "$loadgen_jar" fanout --url "http://127.0.0.1:$port" --pid "$server_pid" \
      --threads 20 --members 10 --rate 1000 --warmup 0 --duration "$(( (warmup_seconds + 1) / 2 ))" >/dev/null \
      || echo "bench: the fan-out warm-up run failed (exit $?)" >&2
  fi

  for s in $scenarios; do
    [ "$s" = cluster ] && continue
    var="${s}_args"
    echo "bench: $s ${!var}" >&2
    if [ "$profile" = 1 ]; then
      jcmd "$server_pid" JFR.start name="$s" settings=profile filename="$PWD/bench-results/$stamp-$s.jfr" >/dev/null
    fi
    # shellcheck disable=SC2086
    java $loadgen_opts -jar "$loadgen_jar" "$s" --url "http://127.0.0.1:$port" --pid "$server_pid" ${!var} \
      | tee -a "$results" || echo "bench: $s failed (exit $?)" >&2
    if [ "$s" = sendrate ] && [ -n "$sendrate_wide_args" ]; then
      # At 32 in flight (the issue's comparison point) a send waits mostly for the one batch statement
      # ahead of it; with 64 in flight the batches grow and the same machine commits more per second.
      echo "bench: sendrate $sendrate_wide_args" >&2
      # shellcheck disable=SC2086
      java $loadgen_opts -jar "$loadgen_jar" sendrate --url "http://127.0.0.1:$port" --pid "$server_pid" $sendrate_wide_args \
        | tee -a "$results" || echo "bench: sendrate (wide) failed (exit $?)" >&2
    fi
    if [ "$s" = fanout ] && [ -n "$fanout_sustained_args" ]; then
      # The goal's 5,000 msg/s is more than this machine sustains, so that run mostly measures queueing; a
      # second run at a rate it does sustain shows the latency a user would see.
      echo "bench: fanout $fanout_sustained_args" >&2
      # shellcheck disable=SC2086
      java $loadgen_opts -jar "$loadgen_jar" fanout --url "http://127.0.0.1:$port" --pid "$server_pid" $fanout_sustained_args \
        | tee -a "$results" || echo "bench: fanout (sustained) failed (exit $?)" >&2
    fi
    if [ "$profile" = 1 ]; then
      jcmd "$server_pid" JFR.stop name="$s" >/dev/null || true
    fi
  done
fi

# A free TCP port on 127.0.0.1 at or after $1 not in the words of $2.
free_port() {
  local p=$1
  while [[ " $2 " == *" $p "* ]] || (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# Writes a failed result line for the cluster scenario.
cluster_failed() {
  printf '{"scenario":"cluster","error":"%s"}\n' "$1" | tee -a "$results"
}

run_cluster() {
  if [ -n "$data_dir" ] || ! redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379}" ping >/dev/null 2>&1; then
    cluster_failed "needs the machine's Postgres and Redis (127.0.0.1:5432, REDIS_URL)"
    return
  fi
  cluster_run=$PWD/bench-results/$stamp-cluster
  cluster_prefix="chat-bench-$stamp:"
  local used="" gw=() ops=() hz=() p n
  for _ in 1 2; do p=$(free_port 18181 "$used"); gw+=("$p"); used="$used $p"; done
  for _ in 1 2 3; do p=$(free_port 19181 "$used"); ops+=("$p"); used="$used $p"; done
  for _ in 1 2 3 4 5; do p=$(free_port 15801 "$used"); hz+=("$p"); used="$used $p"; done
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'DROP DATABASE IF EXISTS chat_bench_cluster WITH (FORCE)' >/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE chat_bench_cluster' >/dev/null
  # Whatever BUS_ROUTING or other setting the caller exports reaches every process unchanged.
  cluster_env=(CLUSTER_RUN_DIR="$cluster_run" CLUSTER_NAME="chat-bench-$stamp" CLUSTER_GATEWAY_PORTS="${gw[*]}"
    CLUSTER_OPS_PORTS="${ops[*]}" CLUSTER_HZ_PORTS="${hz[*]}" CLUSTER_JAVA_OPTS="$cluster_opts"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chat_bench_cluster REDIS_PREFIX="$cluster_prefix"
    CHAT_RATE_LIMITS=off CHAT_DEV_LOGIN=true)
  echo "bench: cluster: starting ${cluster_names[*]} (logs in $cluster_run)" >&2
  if ! cluster_sh start "${cluster_names[@]}" >&2; then
    cluster_failed "the cluster did not start, see $cluster_run/*.log"
    return
  fi
  local pids="" urls="http://127.0.0.1:${gw[0]},http://127.0.0.1:${gw[1]}"
  for n in "${cluster_names[@]}"; do pids="${pids:+$pids,}$n=$(cat "$cluster_run/$n.pid")"; done
  local warm=${BENCH_CLUSTER_WARMUP_SECONDS:-$([ "$quick" = 1 ] && echo 3 || echo 20)}
  if [ "$warm" -gt 0 ]; then
    echo "bench: warming the cluster up for $((warm + (warm + 1) / 2)) s (not measured)" >&2
    java $loadgen_opts -jar "$loadgen_jar" sendrate --url "$urls" --concurrency 32 --threads 32 --warmup 0 --duration "$warm" \
      >>"$cluster_run/warmup.jsonl" || echo "bench: the cluster's warm-up run failed (exit $?, $cluster_run/warmup.jsonl)" >&2
    java $loadgen_opts -jar "$loadgen_jar" fanout --url "$urls" --threads 20 --members 10 --rate 500 --warmup 0 \
      --duration "$(( (warm + 1) / 2 ))" >>"$cluster_run/warmup.jsonl" \
      || echo "bench: the cluster's fan-out warm-up run failed (exit $?, $cluster_run/warmup.jsonl)" >&2
  fi
  # Each JVM's CPU at rest (heartbeats, timers, the JIT finishing) is in every per-operation figure too.
  echo "bench: cluster at rest for 5 s" >&2
  java $loadgen_opts -jar "$loadgen_jar" idle --url "$urls" --pids "$pids" --duration 5 \
    | tee -a "$results" || echo "bench: cluster idle failed (exit $?)" >&2
  for s in sendrate fanout; do
    var="cluster_${s}_args"
    echo "bench: cluster $s ${!var}" >&2
    # shellcheck disable=SC2086
    java $loadgen_opts -jar "$loadgen_jar" "$s" --url "$urls" --pids "$pids" ${!var} \
      | tee -a "$results" || echo "bench: cluster $s failed (exit $?)" >&2
  done
  cluster_desc=" Cluster rows: ${cluster_names[*]} each \`java $cluster_opts -jar <module>-all.jar\` as scripts/cluster.sh starts them (Hazelcast TCP-IP on 127.0.0.1, event bus in mutual TLS, CHAT_RATE_LIMITS=off, fresh database chat_bench_cluster), the load spread over both gateways."
  cleanup
}

cluster_desc=""
if [ "$cluster" = 1 ]; then
  stop_server
  run_cluster
fi
cp "$results" bench-results/latest.jsonl

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gb=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)
java_version=$(java -version 2>&1 | head -1 | sed 's/"//g')
machine="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu_model), ${mem_gb} GB RAM, $java_version; server: \`java $server_opts -jar $server_jar\` (one process, CHAT_RATE_LIMITS=off), $db_desc; load generator on the same machine (\`$loadgen_opts\`, 2 event loops); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?').$cluster_desc Raw results: bench-results/$stamp.jsonl."

report_args=(report "$results" --machine "$machine")
if [ "$readme" = 1 ]; then
  note="Measured $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); machine, CPU split and every percentile in [docs/performance.md](docs/performance.md)."
  report_args+=(--performance docs/performance.md --readme README.md --note "$note")
fi
echo
java -jar "$loadgen_jar" "${report_args[@]}"

if [ "$profile" = 1 ]; then
  for s in $scenarios; do
    echo
    echo "## server profile during $s (bench-results/$stamp-$s.jfr)"
    [ "$s" = cluster ] && continue
    scripts/jfr-top.sh "bench-results/$stamp-$s.jfr" 30 || true
  done
fi
