#!/usr/bin/env bash
# The audit UI's pages over a log of a million records: the time to compute and write each page's
# JSON, and the replay of a scope to an instant (see docs/benchmarks.md).
#
#   bash scripts/bench-audit.sh [records]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
. scripts/java-home.sh
mvn -B -q -pl bench -am install -DskipTests -DskipITs
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.steward.bench.audit.AuditBenchmark "$@"
