#!/usr/bin/env bash
# The decider under a fleet's load through real Kafka and etcd: decision latency at 10,000
# simulated members, then the takeover time of a standby decider (see docs/benchmarks.md).
#
#   bash scripts/bench-decider.sh [--members 10000] [--probes 120]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
bench_run io.steward.bench.compare.DeciderLoadMain 2g /tmp/steward-bench-decider "$@"
