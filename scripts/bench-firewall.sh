#!/usr/bin/env bash
# What a failing statement costs the application's thread, side by side in one run: no agent, and
# Pulse with its defaults (the error firewall on), by JMH (wall time, -prof gc); then the same
# statement in CPU time (the failing thread's own, and the process's), the two JVMs alternating
# ROUNDS times (CPU time holds on a busy machine, wall time does not); then, in process, what the
# firewall's capture costs when its thread is behind, against the classification it replaced.
# Usage: bash scripts/bench-firewall.sh [ROUNDS]    (default 3; ~5 minutes)
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

echo "== CPU time per failing statement (medians of 15 rounds of 50,000, ranges), alternating"
for round in $(seq "${1:-3}"); do
  for config in none pulse; do
    flags="-Dnone=1"
    [ "$config" = pulse ] && flags="$pulse_flags"
    printf '%-8s%s\n' "$config" "$(java $flags -cp "$cp" dev.pulse.bench.FailingStatementCpu 2>/dev/null | tail -n 1)"
  done
done

echo "== the firewall on the failing thread: the capture when its thread is behind, the classification before (no agent)"
java -cp "$cp:agent/target/classes:broadcaster/target/classes" org.openjdk.jmh.Main FailureCaptureBenchmark -prof gc -rf text \
  -rff agent/target/jmh-firewall-capture.txt >/dev/null
grep -E "FailureCaptureBenchmark\.[a-zA-Z]+ +avgt|gc.alloc.rate.norm +avgt" agent/target/jmh-firewall-capture.txt \
  | awk '$1 ~ /norm/ { printf "%s ± %s B/op\n", $4, $6; next } { sub(/.*\./, "", $1); printf "%-38s %s ± %s ns/op   ", $1, $4, $6 }'
