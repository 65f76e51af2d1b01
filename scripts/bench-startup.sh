#!/usr/bin/env bash
# What the agent costs a JVM's start and an idle JVM's memory, an earlier build of the jar beside
# the one built now, in one run, the configurations alternating (their order rotates every round):
# no agent; a do-nothing agent (its premain returns: what any -javaagent costs); BEFORE_JAR;
# the jar built now. Pulse's settings are those of scripts/bench-all.sh.
#   idle:     four idle JVMs at once (SleepingHost, the agent module's test class path, no client,
#             no database), read at 60 s: VmRSS, then a full GC and the heap used (live heap)
#   start-up: StartupProbe (a pool and one query, then exit), wall clock from outside, per round
#             RUNS runs of each configuration
#   CPU:      StartupProbe run by StartupCpu: the main thread's CPU time and allocation before
#             main (the JVM's start and premain), its CPU in main, the process's CPU
#   first statements: FirstStatements (a full pool over H2, one thread): its first borrow, its
#             first statement, and the mean of its first 500 rounds, while the code still runs cold
# Linux only (/proc). Usage: bash scripts/bench-startup.sh BEFORE_JAR [ROUNDS] [RUNS]
#   (defaults 3 rounds, 4 runs: ~8 minutes on a quiet machine). BEFORE_JAR: a pulse-agent.jar
#   built from another commit, copied out of agent/target first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
before=$(realpath "$1")
rounds=${2:-3}
runs=${3:-4}

mvn -q -B -ntp -DskipTests package -pl agent -am
cp=$(bench_classpath agent)
out=agent/target/bench
mkdir -p "$out"
printf 'Premain-Class: dev.pulse.bench.DoNothingAgent\n' >"$out/do-nothing.mf"
jar --create --file "$out/do-nothing-agent.jar" --manifest "$out/do-nothing.mf" \
  -C agent/target/test-classes dev/pulse/bench/DoNothingAgent.class
cp "$before" "$out/pulse-before.jar"
settings="=port=0,log.level=warn,dashboard.port=0"
results=$out/startup.txt
: >"$results"
: >"$results.log"

flags() {
  case $1 in
    none) echo "" ;;
    nothing) echo "-javaagent:$out/do-nothing-agent.jar" ;;
    before) echo "-javaagent:$out/pulse-before.jar$settings" ;;
    after) echo "-javaagent:agent/target/pulse-agent.jar$settings" ;;
  esac
}
record() { echo "$1|$2|$3" >>"$results"; }
order() { local all=(none nothing before after); for i in 0 1 2 3; do echo "${all[$(( (i + $1) % 4 ))]}"; done; }

idle_round() {
  local -A pid
  for config in $(order "$1"); do
    # shellcheck disable=SC2046
    java $(flags "$config") -cp "$cp" dev.pulse.agent.hosts.SleepingHost 300 >/dev/null 2>&1 &
    pid[$config]=$!
  done
  sleep 60
  for config in none nothing before after; do
    read -r rss threads heap <<<"$(bench_idle_sizes "${pid[$config]}")"
    record rss "$config" "$rss"
    record threads "$config" "$threads"
    record live_heap "$config" "$heap"
  done
  for config in none nothing before after; do kill "${pid[$config]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

bench_machine
for round in $(seq 1 "$rounds"); do
  echo "-- round $round (load $(cut -d' ' -f1-3 /proc/loadavg)): idle JVMs"
  idle_round "$round"
  echo "-- round $round (load $(cut -d' ' -f1-3 /proc/loadavg)): start-up"
  for _ in $(seq 1 "$runs"); do
    for config in $(order "$round"); do
      start=$(date +%s%N)
      # shellcheck disable=SC2046
      java $(flags "$config") -cp "$cp" dev.pulse.bench.StartupProbe >/dev/null 2>>"$results.log" || continue
      record startup "$config" $(( ($(date +%s%N) - start) / 1000000 ))
      # shellcheck disable=SC2046
      line=$(java $(flags "$config") -cp "$cp" dev.pulse.bench.StartupCpu dev.pulse.bench.StartupProbe \
        2>>"$results.log" || true) # a run that failed (its error in the log) records nothing
      for field in main-before-main main-in-main process alloc-before-main; do
        value=$(echo "$line" | tr ' ' '\n' | sed -n "s/^$field=\([0-9]*\).*/\1/p")
        if [ -n "$value" ]; then record "$field" "$config" "$value"; fi
      done
      # "first BORROW_US STATEMENT_US blocks B/S ...": the first round, then the first 500's means
      # shellcheck disable=SC2046
      read -r _ borrow statement _ block _ <<<"$(java $(flags "$config") -cp "$cp" \
        dev.pulse.bench.FirstStatements 2>>"$results.log" || true)"
      if [ -n "${block:-}" ]; then
        record first-borrow "$config" "$borrow"
        record first-statement "$config" "$statement"
        record first-500 "$config" "$(echo "$block" | awk -F/ '{ print $1 + $2 }')"
      fi
    done
  done
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg); raw figures in $results"

# median (min..max) per figure and configuration
awk -F'|' '
  { values[$1 "|" $2] = values[$1 "|" $2] " " $3 }
  function stat(key,   v, n, i, j, t) {
    if (!(key in values)) return "-"
    n = split(values[key], v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return sprintf("%g (%g..%g)", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n])
  }
  function row(title, figure) {
    printf "| %s | %s | %s | %s | %s |\n", title, stat(figure "|none"), stat(figure "|nothing"),
      stat(figure "|before"), stat(figure "|after")
  }
  END {
    print "| figure | no agent | do-nothing agent | before | after |"
    print "|---|---|---|---|---|"
    row("idle JVM at 60 s: resident memory (MB)", "rss")
    row("idle JVM: live heap after a full GC (MB)", "live_heap")
    row("idle JVM: threads", "threads")
    row("start-up, a pool and one query (ms, wall clock)", "startup")
    row("main thread CPU before main (ms)", "main-before-main")
    row("main thread allocation before main (KiB)", "alloc-before-main")
    row("main thread CPU in main (ms)", "main-in-main")
    row("process CPU, whole run (ms)", "process")
    row("FirstStatements: its first borrow (us)", "first-borrow")
    row("FirstStatements: its first statement: prepare, execute, read, close (us)", "first-statement")
    row("FirstStatements: rounds 1-500, borrow and statement, mean (us)", "first-500")
  }' "$results"
