#!/usr/bin/env bash
# What a failing statement costs the application's thread, side by side in one run: no agent, and
# Pulse with its defaults (the error firewall on). JMH with -prof gc (time and bytes per failure).
# Usage: bash scripts/bench-firewall.sh    (~1 minute)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

mvn -q -B -ntp -DskipTests package -pl agent -am
cp=$(bench_classpath agent)
pulse_flags="-javaagent:agent/target/pulse-agent.jar=port=0,log.level=warn"

bench_machine
run() {
  java -cp "$cp" org.openjdk.jmh.Main FailingStatementBenchmark -prof gc -jvmArgsAppend "$2" -rf text \
    -rff "agent/target/jmh-firewall-$1.txt" >/dev/null
  printf '%-8s' "$1"
  grep -E "failingStatement +avgt|failingStatement:gc.alloc.rate.norm +avgt" "agent/target/jmh-firewall-$1.txt" \
    | awk '$1 ~ /norm/ { printf "%s ± %s B/op", $4, $6; next } { printf "%s ± %s ns/op   ", $4, $6 }'
  echo
}
echo "== a failing statement (SELECT 1 / ? bound to 0, H2 in memory)"
run none "-Dnone=1"
run pulse "$pulse_flags"
