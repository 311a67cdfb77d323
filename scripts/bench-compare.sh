#!/usr/bin/env bash
# Steward and Patroni side by side on this machine, in one run, with the same workload (see
# docs/benchmarks.md). A benchmark, not a test: it takes a while (about 40 minutes with the
# default 5 runs) and wants a quiet machine. Installs Patroni 3.0.2 from Debian if missing.
#
#   bash scripts/bench-compare.sh [--runs N] [--profiles defaults,fast] [--footprint-seconds 60]
#                                 [--out bench/target/compare.json]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
if ! command -v patroni >/dev/null; then
  echo "bench: installing Patroni (Debian's patroni and python3-psycopg2)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q patroni python3-psycopg2 >/dev/null
fi
. scripts/java-home.sh
mvn -B -q -pl bench -am install -DskipTests -DskipITs
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
work=/tmp/steward-bench
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
exec "$JAVA_HOME/bin/java" -Xmx1g -Dsteward.testkit.dir="$work" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.steward.bench.compare.CompareMain "$@"
