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
echo "--- total (anywhere on the stack, once per sample)"
awk '/stackTrace = \[/ {inside=1; delete seen; next}
     inside && /^ *\]/ {inside=0; next}
     inside {f=$0; sub(/^ +/, "", f); sub(/ +line:.*/, "", f); sub(/\(.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' "$tmp" \
  | sort | uniq -c | sort -rn | head -"$n" | awk -v t="$total" '{printf "%6d %5.1f%%  %s\n", $1, 100*$1/t, $2}'
