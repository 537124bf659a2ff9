#!/usr/bin/env bash
# Makes sure the test tiers have what they need on this machine: Postgres on 127.0.0.1:5432 (trust auth,
# user postgres), Redis on 127.0.0.1:6379 and Debian's Chromium + ChromeDriver (and node/npm for the web client). Starts what is installed
# but stopped, installs (apt) what is missing. Idempotent.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! listening 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure-services: installing PostgreSQL"
    apt_install postgresql
  fi
  v=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$v/main/pg_hba.conf
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf"
  fi
  echo "ensure-services: starting PostgreSQL $v"
  as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  for _ in $(seq 1 30); do listening 5432 && break; sleep 1; done
fi
listening 5432 || { echo "ensure-services: Postgres is not reachable on 127.0.0.1:5432" >&2; exit 1; }

if ! listening 6379; then
  command -v redis-server >/dev/null || { echo "ensure-services: installing Redis"; apt_install redis-server; }
  echo "ensure-services: starting Redis"
  mkdir -p /tmp/redis-chat
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/redis-chat \
    --logfile /tmp/redis-chat/redis.log
  for _ in $(seq 1 30); do listening 6379 && break; sleep 1; done
fi
listening 6379 || { echo "ensure-services: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "ensure-services: installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # The client library's tests pack it with npm and install the tarball into a fixture project.
  if ! command -v npm >/dev/null; then
    echo "ensure-services: installing nodejs and npm"
    apt_install nodejs npm
  fi
fi
echo "ensure-services: Postgres, Redis${1:+ and Chromium} ready"
