#!/usr/bin/env bash
# A local multi-process cluster: two gateways, one messaging-, presence- and unread-service and the notifier,
# each its own JVM, joined by the Hazelcast-clustered event bus over TCP-IP on 127.0.0.1, sharing the machine's
# Postgres (database `chat`) and Redis. Pids and logs live in ./cluster-run/.
#
#   scripts/cluster.sh start [NAME...]   build the jars if needed, start (all or the named processes), wait until ready
#   scripts/cluster.sh stop [NAME...]    SIGTERM (graceful leave), SIGKILL after 20 s
#   scripts/cluster.sh kill NAME...      SIGKILL, as a crash would
#   scripts/cluster.sh status            one line per process: pid, url, ready or not
# NAME is one of gateway-1 gateway-2 messaging presence unread notifier. The notifier POSTs to
# NOTIFY_WEBHOOK_URL (with NOTIFY_WEBHOOK_SECRET) when they are set, and only logs its notifications otherwise.
#
# Overrides (environment): CLUSTER_NAME, DATABASE_URL, REDIS_URL, REDIS_PREFIX, PG_SCHEMA, JWT_SECRET and any
# other service setting (inherited by every process); CLUSTER_RUN_DIR (./cluster-run), CLUSTER_GATEWAY_PORTS
# ("8080 8081"), CLUSTER_OPS_PORTS ("9101 9102 9103 9104": messaging presence unread notifier), CLUSTER_HZ_PORTS
# ("5701 5702 5703 5704 5705 5706": in the order of NAMES), CLUSTER_JAVA_OPTS, CLUSTER_READY_TIMEOUT (180 s),
# CLUSTER_BUILD (auto | never | always).
# The event bus between the processes uses mutual TLS: a throwaway CA and node certificate are made in
# $CLUSTER_RUN_DIR/certs (scripts/cluster-certs.sh) unless CLUSTER_TLS_CERT/KEY/CA name your own;
# CLUSTER_TLS=off runs it in plain TCP.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

NAMES=(gateway-1 gateway-2 messaging presence unread notifier)
RUN_DIR="${CLUSTER_RUN_DIR:-$ROOT/cluster-run}"
read -r -a GATEWAY_PORTS <<<"${CLUSTER_GATEWAY_PORTS:-8080 8081}"
read -r -a OPS_PORTS <<<"${CLUSTER_OPS_PORTS:-9101 9102 9103 9104}"
read -r -a HZ_PORTS <<<"${CLUSTER_HZ_PORTS:-5701 5702 5703 5704 5705 5706}"
JAVA_OPTS="${CLUSTER_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError}"
READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-180}"
export CLUSTER_NAME="${CLUSTER_NAME:-chat-local}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/chat}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export CHAT_DEV_LOGIN="${CHAT_DEV_LOGIN:-true}"
# Attachments: both gateways share one directory and one link-signing key (kept across restarts), so a file
# uploaded through one is served by the other. For S3 instead, set ATTACHMENT_STORE=s3 and S3_* (README).
mkdir -p "$RUN_DIR"
export ATTACHMENT_DIR="${ATTACHMENT_DIR:-$RUN_DIR/attachments}"
if [[ -z "${ATTACHMENT_URL_KEY:-}" ]]; then
  [[ -s "$RUN_DIR/attachment-url-key" ]] || (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$RUN_DIR/attachment-url-key")
  ATTACHMENT_URL_KEY="$(cat "$RUN_DIR/attachment-url-key")"
  export ATTACHMENT_URL_KEY
fi

die() { echo "cluster: $*" >&2; exit 1; }

index_of() {
  local i
  for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" = "$1" ] && { echo "$i"; return; }; done
  die "unknown process '$1' (one of: ${NAMES[*]})"
}

module_of() {
  case "$1" in
    gateway-*) echo gateway ;;
    messaging) echo messaging-service ;;
    presence) echo presence-service ;;
    unread) echo unread-service ;;
    notifier) echo notifier ;;
  esac
}

jar_of() { local m; m="$(module_of "$1")"; echo "$ROOT/$m/target/$m-all.jar"; }

http_port_of() {
  case "$1" in
    gateway-1) echo "${GATEWAY_PORTS[0]}" ;;
    gateway-2) echo "${GATEWAY_PORTS[1]}" ;;
    messaging) echo "${OPS_PORTS[0]}" ;;
    presence) echo "${OPS_PORTS[1]}" ;;
    unread) echo "${OPS_PORTS[2]}" ;;
    # a port list of the three services only (older callers) leaves the notifier on its default
    notifier) echo "${OPS_PORTS[3]:-9104}" ;;
  esac
}

members() {
  local p out=""
  for p in "${HZ_PORTS[@]}"; do out="${out:+$out,}127.0.0.1:$p"; done
  echo "$out"
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

alive() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(jar_of "$1")"
}

ready() { curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$(http_port_of "$1")/health/ready" 2>/dev/null; }

build_jars() {
  local mode="${CLUSTER_BUILD:-auto}" stale="" n jar m
  [ "$mode" = never ] && {
    for n in "${NAMES[@]}"; do [ -f "$(jar_of "$n")" ] || die "missing $(jar_of "$n") (CLUSTER_BUILD=never)"; done
    return
  }
  for n in "${NAMES[@]}"; do
    jar="$(jar_of "$n")"; m="$(module_of "$n")"
    if [ "$mode" = always ] || [ ! -f "$jar" ] || [ -n "$(find "$ROOT/shared/src/main" "$ROOT/client/src/main" "$ROOT/$m/src/main" \
        "$ROOT/$m/pom.xml" "$ROOT/shared/pom.xml" "$ROOT/client/pom.xml" "$ROOT/pom.xml" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
      stale=1
    fi
  done
  if [ -n "$stale" ]; then
    echo "cluster: building the service jars"
    ${MVN:-mvn -B -ntp} -q -DskipTests package -pl gateway,messaging-service,presence-service,unread-service,notifier -am
  fi
}

ensure_database() {
  local db admin
  db="$(sed -E 's#^[a-z]+://[^/]*/?([^?]*).*#\1#' <<<"$DATABASE_URL")"
  admin="$(sed -E 's#^([a-z]+://[^/?]*)/?[^?]*#\1/postgres#' <<<"$DATABASE_URL")"
  [ -n "$db" ] || return 0
  command -v psql >/dev/null || { echo "cluster: psql not found; assuming database '$db' exists"; return 0; }
  if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "cluster: creating database '$db'"
    psql "$admin" -qc "CREATE DATABASE \"$db\""
  fi
}

jwt_secret() {
  if [ -n "${JWT_SECRET:-}" ]; then echo "$JWT_SECRET"; return; fi
  [ -s "$RUN_DIR/jwt-secret" ] || (umask 077; openssl rand -hex 32 >"$RUN_DIR/jwt-secret")
  cat "$RUN_DIR/jwt-secret"
}

# Exports the certificate settings every process inherits: the caller's, or the run directory's own CA.
cluster_tls() {
  if [ "${CLUSTER_TLS:-on}" = off ]; then
    echo "cluster: CLUSTER_TLS=off, the event bus runs in plain TCP"
    return
  fi
  [ -n "${CLUSTER_TLS_CERT:-}${CLUSTER_TLS_KEY:-}${CLUSTER_TLS_CA:-}" ] && return
  "$ROOT/scripts/cluster-certs.sh" "$RUN_DIR/certs" node
  export CLUSTER_TLS_CERT="$RUN_DIR/certs/node.pem" CLUSTER_TLS_KEY="$RUN_DIR/certs/node-key.pem" \
    CLUSTER_TLS_CA="$RUN_DIR/certs/ca.pem"
}

launch() {
  local name="$1" i port
  i="$(index_of "$name")"
  port="$(http_port_of "$name")"
  if alive "$name"; then echo "cluster: $name already running (pid $(pid_of "$name"))"; return; fi
  local env_args=(CLUSTER_ENABLED=true CLUSTER_HOST=127.0.0.1 "CLUSTER_MEMBERS=$(members)"
    "CLUSTER_PORT=${HZ_PORTS[$i]:-$((5701 + i))}" "JWT_SECRET=$SECRET")
  case "$name" in
    gateway-*) env_args+=("PORT=$port") ;;
    *) env_args+=("OPS_PORT=$port") ;;
  esac
  # shellcheck disable=SC2086
  setsid nohup env -u OPS_PORT -u PORT "${env_args[@]}" java $JAVA_OPTS -Dchat.process="$name" \
    -jar "$(jar_of "$name")" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
  local pid=$! waited=0
  echo "$pid" >"$RUN_DIR/$name.pid"
  # The pid is the JVM's once setsid/nohup/env have exec'd into java.
  until alive "$name"; do
    kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ] || die "$name did not start (log: $RUN_DIR/$name.log)"
    sleep 0.1; waited=$((waited + 1))
  done
  echo "cluster: started $name (pid $pid, log $RUN_DIR/$name.log)"
}

await_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) name pending
  while :; do
    pending=()
    for name in "$@"; do
      alive "$name" || { tail -n 40 "$RUN_DIR/$name.log" >&2 || true; die "$name exited during start (log: $RUN_DIR/$name.log)"; }
      ready "$name" || pending+=("$name")
    done
    [ ${#pending[@]} -eq 0 ] && return 0
    [ $SECONDS -ge $deadline ] && die "not ready after ${READY_TIMEOUT}s: ${pending[*]} (logs in $RUN_DIR)"
    sleep 0.5
  done
}

start() {
  local targets=("$@")
  [ ${#targets[@]} -eq 0 ] && targets=("${NAMES[@]}")
  for n in "${targets[@]}"; do index_of "$n" >/dev/null; done
  mkdir -p "$RUN_DIR"
  build_jars
  [ -x "$ROOT/scripts/ensure-services.sh" ] && "$ROOT/scripts/ensure-services.sh" >/dev/null
  ensure_database
  SECRET="$(jwt_secret)"
  cluster_tls
  local first=() rest=() n
  for n in "${targets[@]}"; do
    if [ "$n" = messaging ]; then first+=("$n"); else rest+=("$n"); fi
  done
  # messaging-service applies the schema migrations; the others start once it is ready.
  for n in "${first[@]}"; do launch "$n"; done
  [ ${#first[@]} -gt 0 ] && await_ready "${first[@]}"
  for n in "${rest[@]}"; do launch "$n"; done
  [ ${#rest[@]} -gt 0 ] && await_ready "${rest[@]}"
  summary
}

summary() {
  echo
  echo "chat cluster '$CLUSTER_NAME' is ready:"
  local n
  for n in "${NAMES[@]}"; do
    alive "$n" || continue
    case "$n" in
      gateway-*) printf '  %-10s http://127.0.0.1:%s  (bridge /eventbus, health /health/ready, metrics /metrics)\n' "$n" "$(http_port_of "$n")" ;;
      *) printf '  %-10s ops http://127.0.0.1:%s  (/health/ready, /metrics)\n' "$n" "$(http_port_of "$n")" ;;
    esac
  done
  echo "  dev token: curl -s -X POST http://127.0.0.1:${GATEWAY_PORTS[0]}/api/dev/token -d '{\"userId\":\"alice\",\"name\":\"Alice\"}'"
  [ -n "${CLUSTER_TLS_CA:-}" ] && echo "  event bus: mutual TLS, CA $CLUSTER_TLS_CA"
  echo "  logs: $RUN_DIR/*.log; stop: make cluster-stop"
}

signal_and_wait() {
  local sig="$1"; shift
  local n pid pids=() deadline
  for n in "$@"; do
    if alive "$n"; then pid="$(pid_of "$n")"; kill "-$sig" "$pid" 2>/dev/null || true; pids+=("$n"); fi
  done
  deadline=$((SECONDS + 20))
  for n in "${pids[@]}"; do
    while alive "$n" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if alive "$n"; then kill -KILL "$(pid_of "$n")" 2>/dev/null || true; sleep 0.2; fi
    echo "cluster: $n stopped"
  done
  for n in "$@"; do rm -f "$RUN_DIR/$n.pid"; done
}

stop() {
  local targets=("$@")
  [ ${#targets[@]} -eq 0 ] && targets=(notifier gateway-1 gateway-2 unread presence messaging)
  for n in "${targets[@]}"; do index_of "$n" >/dev/null; done
  signal_and_wait TERM "${targets[@]}"
}

crash() {
  [ $# -gt 0 ] || die "kill needs a process name (one of: ${NAMES[*]})"
  for n in "$@"; do index_of "$n" >/dev/null; done
  signal_and_wait KILL "$@"
}

status() {
  local n state
  for n in "${NAMES[@]}"; do
    if ! alive "$n"; then state="stopped"
    elif ready "$n"; then state="ready"
    else state="running, not ready"; fi
    printf '%-10s %-8s http://127.0.0.1:%-5s %s\n' "$n" "$(alive "$n" && pid_of "$n" || echo -)" "$(http_port_of "$n")" "$state"
  done
}

cmd="${1:-status}"
shift || true
case "$cmd" in
  start) start "$@" ;;
  stop) stop "$@" ;;
  kill) crash "$@" ;;
  status) status ;;
  *) die "usage: $0 start|stop|kill|status [NAME...]" ;;
esac
