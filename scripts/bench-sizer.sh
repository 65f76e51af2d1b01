#!/usr/bin/env bash
# The adaptive sizer under a step load with its DEFAULT settings (a user does not tune before the
# first burst), side by side in one run: each round runs the Pulse agent sizing a pool from 5, then, with
# no agent, a fixed pool of the peak size the sizer reached in that round (filled from the start)
# and HikariCP's own elastic pool (minimumIdle 5, maximum that peak: it opens connections as
# borrowers wait, from the first one, on the same single adder thread the sizer relies on), and
# that elastic pool again under the agent with the sizer off (the agent's own cost, without the
# sizer's decisions); a fixed pool of the initial size runs once. Prints the ratios the sizer is
# judged by (p99 wait, statements, connection-seconds over the fixed-at-peak pool of the same
# round), its p99 wait over the elastic pools', and the sizer's resizes (its info log and the
# pool's figures every 100 ms are kept in agent/target/bench-sizer-N.log). ROUNDS=n (default 2);
# SIZER="name=value,..." adds settings.
# Needs PostgreSQL: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh prints.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
url=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}
rounds=${ROUNDS:-2}
initial=5

mvn -q -B -ntp -DskipTests package -pl agent -am
cp=$(bench_classpath agent)
# free ports for the stream and the page (others may run at once); the sizer keeps its defaults
sizer="-javaagent:agent/target/pulse-agent.jar=port=0,dashboard.port=0,log.level=info${SIZER:+,$SIZER}"

# StepLoad prints: label (several words) p50 p99 max statements connection-seconds ramp peak;
# fields are counted from the end of the line
field() { echo "$1" | awk -v k="$2" '{print $(NF-k)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "(over 0)" }'; }

bench_machine
printf '%-22s %9s %9s %9s %11s %18s %8s %10s\n' config "p50 ms" "p99 ms" "max ms" statements \
  connection-seconds "ramp ms" "peak size"
java -cp "$cp" dev.pulse.bench.StepLoad "$url" "$initial" "fixed $initial (initial)"
for round in $(seq 1 "$rounds"); do
  log=agent/target/bench-sizer-$round.log
  sized=$(STEP_TRACE=1 java $sizer -cp "$cp" dev.pulse.bench.StepLoad "$url" "$initial" \
    "Pulse sizer from $initial" 2>"$log")
  echo "$sized"
  # each resize after the pool's figures sampled just before it (the step starts at t=5000 ms)
  awk '/^t=/ { t = $0 } /pool step-pool: [0-9]+ -> / { sub(/.*pool step-pool: /, ""); print "    " t "  resize " $0 }' "$log"
  peak=$(field "$sized" 0)
  fixed=$(java -cp "$cp" dev.pulse.bench.StepLoad "$url" "$peak" "fixed $peak (peak)")
  echo "$fixed"
  elastic=$(java -cp "$cp" dev.pulse.bench.StepLoad "$url" "$peak" "HikariCP $initial..$peak" "$initial")
  echo "$elastic"
  # shellcheck disable=SC2001 # the same flags, the sizer off
  agent_elastic=$(java $(echo "$sizer" | sed 's/log.level=info/log.level=warn,autoscale.enabled=false/') \
    -cp "$cp" dev.pulse.bench.StepLoad "$url" "$peak" "Pulse no sizer $initial..$peak" "$initial")
  echo "$agent_elastic"
  echo "== round $round (load $(cut -d' ' -f1 /proc/loadavg)), sizer / fixed at peak:" \
    "p99 wait $(ratio "$(field "$sized" 5)" "$(field "$fixed" 5)")x (goal <= 1.5)," \
    "statements $(ratio "$(field "$sized" 3)" "$(field "$fixed" 3)")x (goal >= 0.9)," \
    "connection-seconds $(ratio "$(field "$sized" 2)" "$(field "$fixed" 2)")x (goal <= 0.75);" \
    "sizer / HikariCP elastic: p99 wait $(ratio "$(field "$sized" 5)" "$(field "$elastic" 5)")x," \
    "the same under the agent, sizer off: $(ratio "$(field "$sized" 5)" "$(field "$agent_elastic" 5)")x"
done
