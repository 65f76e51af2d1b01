#!/usr/bin/env bash
# The adaptive sizer under a step load with its DEFAULT settings (a user does not tune before the
# first burst), A/B in one run: each round runs the Pulse agent sizing a pool from 5, then a fixed
# pool of the peak size the sizer reached in that round; a fixed pool of the initial size runs once.
# Prints the ratios the sizer is judged by (p99 wait, statements, connection-seconds, each over the
# fixed-at-peak pool of the same round). ROUNDS=n (default 2); SIZER="name=value,..." adds settings.
# Needs PostgreSQL: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh prints.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
url=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}
rounds=${ROUNDS:-2}

mvn -q -B -ntp -DskipTests package -pl agent -am
cp=$(bench_classpath agent)
sizer="-javaagent:agent/target/pulse-agent.jar=port=0,log.level=warn${SIZER:+,$SIZER}"

bench_machine
printf '%-22s %9s %9s %9s %11s %18s %10s\n' config "p50 ms" "p99 ms" "max ms" statements \
  connection-seconds "peak size"
java -cp "$cp" dev.pulse.bench.StepLoad "$url" 5 "fixed 5 (initial)"
for round in $(seq 1 "$rounds"); do
  sized=$(java $sizer -cp "$cp" dev.pulse.bench.StepLoad "$url" 5 "Pulse sizer from 5")
  echo "$sized"
  peak=$(echo "$sized" | awk '{print $NF}')
  fixed=$(java -cp "$cp" dev.pulse.bench.StepLoad "$url" "$peak" "fixed $peak (peak)")
  echo "$fixed"
  # columns from the end: p99 is the 5th last, statements the 3rd, connection-seconds the 2nd
  paste <(echo "$sized") <(echo "$fixed") | awk -v r="$round" -v n="$(echo "$sized" | wc -w)" '{
    p99 = $(NF-4) > 0 ? sprintf("%.2fx", $(n-4) / $(NF-4)) : "(fixed p99 0)"
    printf "== round %d, sizer / fixed at peak: p99 wait %s (goal <= 1.5), statements %.2fx (goal >= 0.9), connection-seconds %.2fx (goal <= 0.75), load %s\n",
      r, p99, $(n-2) / $(NF-2), $(n-1) / $(NF-1), "'"$(cut -d' ' -f1 /proc/loadavg)"'" }'
done
