#!/usr/bin/env bash
# Issue 15's table in one run: no agent, the OpenTelemetry Java agent (every exporter off) and
# Pulse side by side, each figure taken ROUNDS times in fresh JVMs, the configurations alternating
# (their order rotates every round), then printed as median (min-max) per configuration.
#   idle: three idle JVMs at once (no client, no database), CPU of the threads the agent added over
#         seconds 60-120 (from /proc), then resident memory, live heap (after a full GC), threads
#   pgvector: VectorSearchLoad (30 s warm-up: the JIT still compiles for 15 s), process CPU per search,
#         Pulse's broadcaster thread and all of Pulse's threads; SEARCH_RUNS runs per configuration
#         and round (default 3: fresh JVMs of one configuration differ by 10-20 us per search here)
#   dispatcher: DispatcherCostHarness at 1,700 events/s, no client
#   delivery: DeliveryServer and DeliveryClients in two processes, 1,000 events/s, 5 s of warm-up
#             then 10 s measured, p99 (the clients' own CPU and the server's threads: all.txt.log);
#             alternating with PlainDeliveryServer, the same events sent by Java-WebSocket alone
#             (its broadcast), recorded as "jws" and shown in the "no agent" column
#   start-up: StartupProbe (a pool and one query), 3 runs per configuration and round
#   H2 loop: JdbcOverheadBenchmark (JMH, average time, 5 x 2 s warm-up and measurement)
#   sizer: StepLoad (as scripts/bench-sizer.sh) under Pulse with its default settings from 5, then
#          a fixed pool of the peak it reached, no agent (the "no agent" column)
# Needs PostgreSQL with pgvector: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh
# prints. Linux only (/proc). Usage: bash scripts/bench-all.sh [ROUNDS [SEARCH_RUNS]]
# (default 3 and 3, ~40 minutes on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
url=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}
rounds=${1:-3}
search_runs=${2:-3}

mvn -q -B -ntp -DskipTests package -pl agent -am
acp=$(bench_classpath agent)
bcp="broadcaster/target/classes:$(bench_classpath broadcaster)"
bench_agents
pulse_flags="$pulse_flags,dashboard.port=0"
results=agent/target/bench/all.txt
: >"$results"
: >"$results.log" # the JVMs' own complaints

flags() {
  case $1 in
    none) echo "" ;;
    otel) echo "$otel_flags" ;;
    pulse) echo "$pulse_flags" ;;
  esac
}
record() { echo "$1|$2|$3" >>"$results"; }
# the three configurations, starting at a different one every round
order() { local all=(none otel pulse); for i in 0 1 2; do echo "${all[$(( (i + $1) % 3 ))]}"; done; }
# the two delivery servers, Pulse's first in odd rounds
delivery_order() { if (( $1 % 2 )); then echo pulse jws; else echo jws pulse; fi; }
delivery_server() { case $1 in pulse) echo DeliveryServer ;; jws) echo PlainDeliveryServer ;; esac; }

# name TAB nanoseconds on a CPU, per thread of PID; thread names without digits
threads_cpu() {
  for task in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9' <"$task/comm")" "$(cut -d' ' -f1 "$task/schedstat")"
  done 2>/dev/null
}

idle_round() {
  local -A pid
  for config in none otel pulse; do
    # shellcheck disable=SC2046
    java $(flags $config) -cp "$acp" dev.pulse.agent.hosts.SleepingHost 900 >/dev/null 2>&1 &
    pid[$config]=$!
  done
  sleep 60
  for config in none otel pulse; do threads_cpu "${pid[$config]}" >"$results.$config.60"; done
  sleep 60
  for config in none otel pulse; do
    threads_cpu "${pid[$config]}" >"$results.$config.120"
    read -r rss threads heap <<<"$(bench_idle_sizes "${pid[$config]}")"
    record memory_rss "$config" "$rss"
    record threads "$config" "$threads"
    record live_heap "$config" "$heap"
  done
  for config in otel pulse; do
    # threads whose names the JVM without an agent does not have, their CPU over the minute
    record idle_cpu "$config" "$(awk -F'\t' '
      FILENAME ~ /none\.120$/ { jvm[$1] = 1; next }
      FILENAME ~ /\.60$/ { before[$1] += $2; next }
      !($1 in jvm) { total += $2 - before[$1] }
      END { printf "%.1f", total / 1e6 }' "$results.none.120" "$results.$config.60" "$results.$config.120")"
  done
  kill "${pid[none]}" "${pid[otel]}" "${pid[pulse]}" 2>/dev/null || true
  wait "${pid[none]}" "${pid[otel]}" "${pid[pulse]}" 2>/dev/null || true
}

# StepLoad under Pulse's default sizer from 5, then (no agent) a fixed pool of the peak it reached
sizer_round() {
  local sized fixed
  # shellcheck disable=SC2086
  sized=$(java $pulse_flags -cp "$acp" dev.pulse.bench.StepLoad "$url" 5 sizer 2>>"$results.log")
  fixed=$(java -cp "$acp" dev.pulse.bench.StepLoad "$url" "$(echo "$sized" | awk '{ print $NF }')" fixed \
    2>>"$results.log")
  # columns: label, p50, p99, max, statements, connection-seconds, ramp, peak
  for pair in "pulse $sized" "none $fixed"; do
    # shellcheck disable=SC2086 # split into its fields on purpose
    set -- $pair
    record sizer_p99 "$1" "$4"
    record sizer_statements "$1" "$6"
    record sizer_connection_seconds "$1" "$7"
  done
}

bench_machine
echo "== $rounds rounds; raw figures in $results"
for round in $(seq 1 "$rounds"); do
  echo "-- round $round: idle minute"
  idle_round
  echo "-- round $round: pgvector searches, H2 loop, start-up"
  for run in $(seq 1 "$search_runs"); do
    for config in $(order $((round + run))); do
      # shellcheck disable=SC2046
      out=$(java $(flags $config) -cp "$acp" dev.pulse.bench.VectorSearchLoad "$url" 15 30 2>>"$results.log" | tail -n 1)
      record search_cpu "$config" "$(echo "$out" | awk '{ print $4 }')"
      record search_rate "$config" "$(echo "$out" | awk '{ print $2 }')"
      record search_thread_cpu "$config" "$(echo "$out" | awk '{ print $10 }')"
      record search_thread_bytes "$config" "$(echo "$out" | awk '{ print $12 }')"
      if [ "$config" = pulse ]; then
        record search_dispatcher "$config" "$(echo "$out" | awk '{ print $6 }')"
        record search_agent_threads "$config" "$(echo "$out" | awk '{ print $8 }')"
      fi
    done
  done
  for config in $(order "$round"); do
    # other JMH runs may share this machine: its lock would refuse to start
    java -Djmh.ignoreLock=true -cp "$acp" org.openjdk.jmh.Main JdbcOverheadBenchmark -bm avgt -wi 5 -w 2 -i 5 -r 2 -f 1 \
      -jvmArgsAppend "$(flags $config) -Dconfig=$config" -rf text -rff "agent/target/bench/jmh-$config.txt" \
      >/dev/null 2>>"$results.log"
    record h2_loop "$config" "$(awk '$2 == "avgt" { print $4 }' "agent/target/bench/jmh-$config.txt")"
  done
  for _ in 1 2 3; do
    for config in $(order "$round"); do
      start=$(date +%s%N)
      # shellcheck disable=SC2046
      java $(flags $config) -cp "$acp" dev.pulse.bench.StartupProbe >/dev/null 2>&1
      record startup "$config" $(( ($(date +%s%N) - start) / 1000000 ))
    done
  done
  echo "-- round $round: sizer step load"
  sizer_round
  echo "-- round $round: broadcaster"
  record dispatcher pulse "$(java -cp "$bcp" dev.pulse.broadcaster.bench.DispatcherCostHarness 1700 10 | awk '{ print $2 }')"
  for clients in 10 100; do
    for config in $(delivery_order "$round"); do
      out=$(bench_delivery "$bcp" "$clients" 10 "$results.log" "$(delivery_server "$config")")
      echo "delivery $config to $clients: $out" >>"$results.log"
      record "delivery_p99_$clients" "$config" "$(echo "$out" | awk '{ print $6 }')"
    done
  done
done

# median (min-max) per figure and configuration; memory rows also as the difference to no agent
awk -F'|' '
  { values[$1 "|" $2] = values[$1 "|" $2] " " $3 }
  # the figures of key, sorted into v; returns how many
  function sorted(key, v,   n, i, j, t) {
    n = split(values[key], v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n
  }
  function median(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  # median (min..max), less base where base is not ""
  function stat(key, base,   v, n) {
    if (!(key in values)) return "-"
    n = sorted(key, v)
    if (base == "") return sprintf("%g (%g..%g)", median(v, n), v[1], v[n])
    return sprintf("%+.1f (%+.1f..%+.1f)", median(v, n) - base, v[1] - base, v[n] - base)
  }
  # first: the configuration shown under "no agent" (none unless given)
  function row(title, figure, relative, first,   v, n, base) {
    if (first == "") first = "none"
    base = ""
    if (relative && ((figure "|none") in values)) { n = sorted(figure "|none", v); base = median(v, n) }
    printf "| %s | %s | %s | %s |\n", title, stat(figure "|" first, ""), stat(figure "|otel", base),
      stat(figure "|pulse", base)
  }
  END {
    print "| figure | no agent | OpenTelemetry agent | Pulse |"
    print "|---|---|---|---|"
    row("idle JVM: CPU of the threads the agent added, seconds 60-120 (ms/min)", "idle_cpu", 0)
    row("pgvector kNN search (20,000 x 64-d, HNSW, k 10): process CPU per search (us; agents: added)", "search_cpu", 1)
    row("the same: searches per second reached", "search_rate", 0)
    row("the same: the searching thread'"'"'s own CPU per search (us; agents: added)", "search_thread_cpu", 1)
    row("the same: the searching thread'"'"'s allocation per search (bytes; agents: added)", "search_thread_bytes", 1)
    row("the same: Pulse broadcaster thread CPU per search (us)", "search_dispatcher", 0)
    row("the same: all of Pulse'"'"'s threads, CPU per search (us)", "search_agent_threads", 0)
    row("dispatcher thread per event at 1,700 events/s, no client (us)", "dispatcher", 0)
    row("delivery p99, 1,000 events/s, 10 clients in another process (ms; no agent: Java-WebSocket alone, its broadcast)", "delivery_p99_10", 0, "jws")
    row("delivery p99, 1,000 events/s, 100 clients in another process (ms; no agent: Java-WebSocket alone, its broadcast)", "delivery_p99_100", 0, "jws")
    row("start-up, a pool and one query (ms; agents: added)", "startup", 1)
    row("H2 loop per statement (ns; agents: added)", "h2_loop", 1)
    row("idle JVM: resident memory (MB; agents: added)", "memory_rss", 1)
    row("idle JVM: live heap after a full GC (MB; agents: added)", "live_heap", 1)
    row("idle JVM: threads (agents: added)", "threads", 1)
    row("sizer on StepLoad, default settings, from 5: p99 wait in the step (ms; no agent: fixed at the sizer'"'"'s peak)", "sizer_p99", 0)
    row("the same: statements", "sizer_statements", 0)
    row("the same: connection-seconds", "sizer_connection_seconds", 0)
  }' "$results"
