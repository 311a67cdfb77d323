#!/usr/bin/env bash
# The decider under a fleet's load through real Kafka and etcd: decision latency at 10,000
# simulated members, then the takeover time of a standby decider (see docs/benchmarks.md).
#
#   bash scripts/bench-decider.sh [--members 10000] [--probes 120]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
. scripts/java-home.sh
mvn -B -q -pl bench -am install -DskipTests -DskipITs
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
work=/tmp/steward-bench-decider
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dsteward.testkit.dir="$work" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.steward.bench.compare.DeciderLoadMain "$@"
