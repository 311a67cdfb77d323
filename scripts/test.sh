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

batch=(-B)
if [ "${CI:-}" = "true" ]; then batch+=(-ntp); fi
exec mvn "${batch[@]}" verify "$@"
