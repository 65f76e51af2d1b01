#!/usr/bin/env bash
# Broadcaster benchmarks, side by side in one run: the cost of publish() on the caller's thread
# (JMH, with -prof gc for allocation per op) and throughput / delivery latency to 1, 10 and 100
# WebSocket clients on loopback. Results go to stdout; docs/benchmarks.md records a run.
# Usage: bash scripts/bench-broadcaster.sh [latency-rate-per-second [burst-frames-in-total]]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

cp="broadcaster/target/classes:$(bench_classpath broadcaster)"

bench_machine
echo "== publish() cost (JMH)"
java -cp "$cp" org.openjdk.jmh.Main 'PublishBenchmark|QueueOfferBenchmark' -prof gc -rf text \
  -rff broadcaster/target/jmh-publish.txt >/dev/null
grep -E "^Benchmark|Benchmark\.[a-zA-Z]+(:gc\.alloc\.rate\.norm)? " broadcaster/target/jmh-publish.txt

echo "== throughput and delivery latency"
java -Xmx2g -cp "$cp" dev.pulse.broadcaster.bench.BroadcastLoadHarness "${1:-1000}" "${2:-400000}"
