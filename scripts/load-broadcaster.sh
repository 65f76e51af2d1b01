#!/usr/bin/env bash
# Sustained load on the broadcaster: CLIENTS WebSocket clients on loopback and a publisher at full
# speed for SECONDS (defaults 1000 and 60). Prints delivered msg/s, latency, drops, gaps, heap and
# threads before and after. Figures: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

cp="broadcaster/target/classes:$(bench_classpath broadcaster)"
bench_machine
java -Xmx3g -cp "$cp" dev.pulse.broadcaster.bench.SustainedLoad "${1:-1000}" "${2:-60}"
