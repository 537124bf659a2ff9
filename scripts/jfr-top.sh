#!/usr/bin/env bash
# Hot methods of a JFR recording: the top-of-stack frames of jdk.ExecutionSample events (self time) and
# the frames most often anywhere on the stack (total time), as counts and shares of all samples.
#   scripts/jfr-top.sh <recording.jfr> [N]
set -euo pipefail
file=$1
n=${2:-25}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" >"$tmp"
total=$(grep -c 'jdk.ExecutionSample' "$tmp" || true)
echo "samples: $total"
echo "--- self (top of stack)"
awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' "$tmp" \
  | sort | uniq -c | sort -rn | head -"$n" | awk -v t="$total" '{printf "%6d %5.1f%%  %s\n", $1, 100*$1/t, substr($0, index($0,$2))}'
echo "--- self time by component (package of the top frame)"
awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); print}' "$tmp" | awk '
  /^chat\./ {print "app (chat.*)"; next}
  /^(com\.fasterxml|io\.vertx\.core\.json)/ {print "JSON encode/decode/copy"; next}
  /^(io\.vertx\.pgclient|io\.vertx\.sqlclient)/ {print "Postgres client"; next}
  /^(io\.vertx\.ext\.web\.handler\.sockjs|io\.vertx\.ext\.bridge)/ {print "SockJS bridge"; next}
  /^io\.vertx\.core\.eventbus/ {print "event bus"; next}
  /^(io\.vertx\.core\.http|io\.vertx\.ext\.web)/ {print "HTTP server/router"; next}
  /^(io\.vertx\.ext\.auth|io\.vertx\.ext\.jwt)/ {print "JWT"; next}
  /^io\.micrometer/ {print "metrics"; next}
  /^io\.netty/ {print "netty I/O"; next}
  /^io\.vertx/ {print "vert.x core (futures, contexts)"; next}
  /^(java\.util\.regex)/ {print "regex"; next}
  /^(java|jdk|sun)\./ {print "JDK (collections, strings, nio)"; next}
  {print "other"}' | sort | uniq -c | sort -rn | awk -v t="$total" '{printf "%6d %5.1f%%  %s\n", $1, 100*$1/t, substr($0, index($0,$2))}'
echo "--- total time of application and bridge methods (anywhere on the stack, once per sample)"
awk '/stackTrace = \[/ {inside=1; delete seen; next}
     inside && /^ *\]/ {inside=0; next}
     inside {f=$0; sub(/^ +/, "", f); sub(/ +line:.*/, "", f); sub(/\(.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' "$tmp" \
  | grep -E '^(chat\.|io\.vertx\.ext\.web\.handler\.sockjs\.impl\.EventBusBridgeImpl|io\.vertx\.core\.eventbus\.impl\.(EventBusImpl|HandlerRegistration)|io\.vertx\.core\.json\.jackson\.JacksonCodec\.encode|io\.vertx\.core\.json\.Json(Object|Array)\.copy|io\.vertx\.pgclient\.impl\.PgSocketConnection)' \
  | sort | uniq -c | sort -rn | head -"$n" | awk -v t="$total" '{printf "%6d %5.1f%%  %s\n", $1, 100*$1/t, $2}'
