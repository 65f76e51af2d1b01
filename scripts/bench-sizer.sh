#!/usr/bin/env bash
# The adaptive sizer under a step load, side by side in one run: a fixed pool of the initial size,
# the Pulse agent sizing from that size, and a fixed pool of the peak size the sizer reached.
# Needs PostgreSQL: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh prints.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
url=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}

mvn -q -B -ntp -DskipTests package -pl agent -am
cp=$(bench_classpath agent)
sizer="-javaagent:agent/target/pulse-agent.jar=port=0,log.level=warn,autoscale.cooldown=2s,autoscale.ceiling=4x"

bench_machine
printf '%-22s %9s %9s %9s %11s %18s %10s\n' config "p50 ms" "p99 ms" "max ms" statements \
  connection-seconds "peak size"
java -cp "$cp" dev.pulse.bench.StepLoad "$url" 5 "fixed 5 (initial)"
sized=$(java $sizer -cp "$cp" dev.pulse.bench.StepLoad "$url" 5 "Pulse sizer from 5")
echo "$sized"
peak=$(echo "$sized" | awk '{print $NF}')
java -cp "$cp" dev.pulse.bench.StepLoad "$url" "$peak" "fixed $peak (peak)"
