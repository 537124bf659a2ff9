#!/usr/bin/env bash
# A throwaway cluster CA and node certificates for the event bus's mutual TLS, for `make cluster` and the
# cluster tests (never for production: there the certificates come from your PKI, see k8s/secret.example.yaml).
#
#   scripts/cluster-certs.sh DIR [NAME...]
#
# Creates DIR/ca.pem (+ DIR/ca-key.pem) once, then DIR/NAME.pem and DIR/NAME-key.pem for each NAME (default:
# node), signed by that CA, for server and client use. Existing files are kept while valid for another day, so
# a running cluster keeps its CA; a second DIR is a second, unrelated CA. Prints nothing on success.
# Use: CLUSTER_TLS_CERT=DIR/NAME.pem CLUSTER_TLS_KEY=DIR/NAME-key.pem CLUSTER_TLS_CA=DIR/ca.pem
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DIR [NAME...]" >&2; exit 2; }
DIR="$1"; shift
NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=(node)
DAYS="${CLUSTER_CERT_DAYS:-30}"
command -v openssl >/dev/null || { echo "cluster-certs: openssl not found" >&2; exit 1; }

umask 077
mkdir -p "$DIR"

valid() { [ -s "$1" ] && openssl x509 -in "$1" -noout -checkend 86400 >/dev/null 2>&1; }

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if ! valid "$DIR/ca.pem" || [ ! -s "$DIR/ca-key.pem" ]; then
  key "$DIR/ca-key.pem"
  openssl req -x509 -new -key "$DIR/ca-key.pem" -sha256 -days "$DAYS" -subj "/CN=chat cluster CA $(date +%s)-$$" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$DIR/ca.pem" 2>/dev/null
  rm -f "$DIR"/*.csr
  # A new CA invalidates every node certificate of the old one.
  for f in "$DIR"/*.pem; do
    case "$f" in */ca.pem|*/ca-key.pem) ;; *) rm -f "$f" ;; esac
  done
fi

for name in "${NAMES[@]}"; do
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] && [ "$name" != ca ] || { echo "cluster-certs: bad name '$name'" >&2; exit 2; }
  cert="$DIR/$name.pem"
  if valid "$cert" && openssl verify -CAfile "$DIR/ca.pem" "$cert" >/dev/null 2>&1; then
    continue
  fi
  key "$DIR/$name-key.pem"
  openssl req -new -key "$DIR/$name-key.pem" -subj "/CN=$name" -out "$DIR/$name.csr" 2>/dev/null
  openssl x509 -req -in "$DIR/$name.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca-key.pem" -CAcreateserial -sha256 \
    -days "$DAYS" -out "$cert" \
    -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1") 2>/dev/null
  rm -f "$DIR/$name.csr"
done
