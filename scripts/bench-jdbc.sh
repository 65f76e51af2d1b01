#!/usr/bin/env bash
# The cost of the agent on the application's JDBC path, side by side in one run: no agent, Pulse
# (sizer off, then defaults), and the OpenTelemetry Java agent with every exporter off. Then
# start-up (a pool and one query) the same three ways. Pulse also runs without its query table
# (queries.enabled=false: the cost of the table is the difference) and with leak detection on
# (leak.threshold=10m: the cost per borrow is the difference, the loop borrows once per op).
# Usage: bash scripts/bench-jdbc.sh [startup|jdbc|listeners|export]
#   startup:   only the start-up comparison, ~1 minute
#   jdbc:      only the JDBC round
#   listeners: only what the query table and the leak detector add to the hooks, in-process
#              without a driver (JMH, then the query table and a whole round's hooks in CPU
#              time, then what each operation they are made of costs), ~4 minutes
#   export:    only Pulse with the fleet export off and on (OTLP every second to a local receiver,
#              and /metrics on): JMH interleaved twice, then the loop thread's own CPU time and
#              allocation per op interleaved four times, ~7 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

mvn -q -B -ntp -DskipTests package -pl agent -am
# the agents bring their own classes, and the benchmark knows none of them
cp=$(bench_classpath agent)
bench_agents

bench_machine
if [ "${1:-}" = listeners ]; then
  # the features' own classes, unshaded: this one benchmark calls the hooks directly
  java -cp "agent/target/classes:broadcaster/target/classes:$cp" org.openjdk.jmh.Main \
    QueryInsightsBenchmark -rf text -rff agent/target/jmh-listeners.txt >/dev/null
  grep -E "QueryInsightsBenchmark" agent/target/jmh-listeners.txt
  # the query table's part in the calling thread's CPU time, which a busy machine does not blur
  java -cp "agent/target/classes:broadcaster/target/classes:$cp" dev.pulse.bench.QueryTableCpu
  # the hooks of a whole round (borrow, prepare, execute, close), with and without the listeners
  java -cp "agent/target/classes:broadcaster/target/classes:$cp" dev.pulse.bench.RoundHooksCpu
  # what each kind of operation of those hooks costs here (a clock read, a first identity hash...)
  java -cp "$cp" dev.pulse.bench.HotPathPrimitivesCpu
  exit 0
fi
# run NAME JVM_FLAGS [JMH_ARGS...]: with -prof gc, the loop thread's allocation per op too
run() {
  name=$1 flags=$2
  shift 2
  java -cp "$cp" org.openjdk.jmh.Main JdbcOverheadBenchmark -jvmArgsAppend "$flags" "$@" -rf text \
    -rff "agent/target/jmh-jdbc-$name.txt" >/dev/null
  printf '%-16s' "$name"
  grep -E "JdbcOverheadBenchmark.borrowPrepareExecuteRead +avgt|borrowPrepareExecuteRead:p0.50 |borrowPrepareExecuteRead:p0.99 |borrowPrepareExecuteRead:gc.alloc.rate.norm +avgt" \
    "agent/target/jmh-jdbc-$name.txt" \
    | awk '$2 == "avgt" && $1 ~ /alloc/ { printf "alloc %s B/op   ", $4; next }
           $2 == "avgt" { printf "average %s ± %s   ", $4, $6 } $2 == "sample" { sub(/.*:/, "", $1); printf "%s %s   ", $1, $3 }'
  echo
}
if [ "${1:-}" = export ]; then
  sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  java -cp "$cp" dev.pulse.bench.OtlpSink "$sink_port" &
  sink=$!
  trap 'kill $sink 2>/dev/null; wait $sink 2>/dev/null' EXIT
  export_flags="otlp.endpoint=http://127.0.0.1:$sink_port,otlp.interval=1s,metrics.enabled=true,dashboard.port=0"
  echo "== JDBC round (ns/op, and bytes allocated per op), sizer off, fleet export off and on"
  for round in 1 2; do
    run "export-off-$round" "$pulse_flags,autoscale.enabled=false" -prof gc
    run "export-on-$round" "$pulse_flags,autoscale.enabled=false,$export_flags" -prof gc
  done
  # the loop's own thread: its CPU time and allocation per op, which other threads do not blur
  echo "== the loop thread's own cost (2,000,000 ops after as many for warm-up), export off and on"
  # the order alternates (off on, on off, ...) so a load that drifts during the run favours neither
  for round in 1 2 3 4; do
    order="off on"
    [ $((round % 2)) = 0 ] && order="on off"
    for mode in $order; do
      flags="$pulse_flags,autoscale.enabled=false"
      [ $mode = on ] && flags="$flags,$export_flags"
      printf '%-16s' "export-$mode-$round"
      java $flags -cp "$cp" dev.pulse.bench.ThreadCostLoop 2000000 2>/dev/null | grep '^thread'
    done
  done
  exit 0
fi
if [ "${1:-}" != startup ]; then
  echo "== JDBC round (ns/op)"
  run none "-Dnone=1"
  run pulse-no-sizer "$pulse_flags,autoscale.enabled=false"
  run pulse-no-queries "$pulse_flags,queries.enabled=false"
  run pulse "$pulse_flags"
  run pulse-leaks "$pulse_flags,leak.threshold=10m"
  run opentelemetry "$otel_flags"
fi

if [ "${1:-}" = jdbc ]; then
  exit 0
fi
echo "== start-up: a pool and one query (ms, 10 runs each)"
for config in none pulse opentelemetry; do
  case $config in
    none) flags="" ;;
    pulse) flags="$pulse_flags" ;;
    opentelemetry) flags="$otel_flags" ;;
  esac
  times=""
  for _ in $(seq 1 10); do
    start=$(date +%s%N)
    java $flags -cp "$cp" dev.pulse.bench.StartupProbe >/dev/null 2>&1
    times="$times $(( ($(date +%s%N) - start) / 1000000 ))"
  done
  sorted=$(echo $times | tr ' ' '\n' | sort -n | tr '\n' ' ')
  echo "$config $sorted" | awk '{ printf "%-15s median %d ms (min %d, max %d)\n", $1, $6, $2, $11 }'
done
