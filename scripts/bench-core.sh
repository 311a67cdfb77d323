#!/usr/bin/env bash
# Folds and decides over a synthetic fleet of 10,000 members in 3,000 groups and prints events
# folded per second and decide latency percentiles. A benchmark, not a test: run it on a quiet
# machine.   bash scripts/bench-core.sh [heartbeats]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
mvn -B -q -pl bench -am install -DskipTests -DskipITs >/dev/null
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx2g -XX:+UseParallelGC -cp "bench/target/classes:core/target/classes" \
  io.steward.bench.CoreBenchmark "$@"
