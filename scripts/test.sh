#!/usr/bin/env bash
# The test command: installs what is missing, then builds Steward and runs every unit test (*Test)
# and integration test (*IT) against real PostgreSQL 15, etcd and Kafka on 127.0.0.1.
#
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh -DskipITs       unit tests only
#   bash scripts/test.sh -pl testkit     extra Maven arguments are passed through
# Slow machine? -Dsteward.timing.multiplier=2 scales every wait in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

bash scripts/setup-machine.sh
. scripts/java-home.sh

# Components from an earlier run that was killed die with their JVM (parent-death signal);
# this catches anything that still lingers from this checkout.
pkill -KILL -f "$root/[^ ]*/target/testkit/" 2>/dev/null || true

extra=()
# As root, PostgreSQL runs as the postgres user, which must reach the data directories. A checkout
# it cannot traverse (under /root, say) keeps the tests' data under /tmp instead.
if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=postgres --regid=postgres --init-groups test -x "$root" 2>/dev/null; then
  data="/tmp/steward-testkit-$(echo "$root" | md5sum | cut -c1-8)"
  echo "test: $root is not reachable by the postgres user; test data goes to $data"
  pkill -KILL -f "$data/" 2>/dev/null || true
  extra+=("-Dsteward.testkit.root=$data")
fi

batch=(-B)
if [ "${CI:-}" = "true" ]; then batch+=(-ntp); fi
exec mvn "${batch[@]}" verify "${extra[@]}" "$@"
