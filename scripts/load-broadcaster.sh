#!/usr/bin/env bash
# Sustained load on the broadcaster: CLIENTS WebSocket clients on loopback and a publisher at full
# speed for SECONDS (defaults 1000 and 60). Prints delivered msg/s, latency, drops, gaps, heap and
# threads before and after. Figures: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl broadcaster -am test-compile
classpath_file="$PWD/broadcaster/target/bench.classpath"
mvn -q -B -ntp -pl broadcaster dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$classpath_file" >/dev/null
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -n 1), ulimit -n $(ulimit -n)"
java -Xmx3g -cp "broadcaster/target/classes:broadcaster/target/test-classes:$(cat "$classpath_file")" \
  dev.pulse.broadcaster.bench.SustainedLoad "${1:-1000}" "${2:-60}"
