#!/usr/bin/env bash
# Vector-search tracking costs: on the application's thread (JMH: the verdict every statement
# pays, the bookkeeping of one search, with its event and sampled out; the same by thread CPU
# time and allocation) and on the database (an exact re-check against the search).
# Needs PostgreSQL with pgvector: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh prints.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
export PULSE_TEST_JDBC_URL=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}

# the tracking code runs in the benchmark's own JVM here: the classes, not the agent jar
cp="agent/target/classes:broadcaster/target/classes:$(bench_classpath agent)"

bench_machine
echo "== on the application's thread (JMH)"
java -cp "$cp" org.openjdk.jmh.Main VectorOverheadBenchmark -prof gc -rf text \
  -rff agent/target/jmh-vector.txt >/dev/null
grep -E "^Benchmark|Benchmark\.[a-zA-Z]+(:gc\.alloc\.rate\.norm)? " agent/target/jmh-vector.txt
echo "== a search with its event and sampled out (thread CPU and allocation, in alternation)"
java -cp "$cp" dev.pulse.agent.vector.SampledSearchCostHarness
echo "== on the database"
java -cp "$cp" dev.pulse.agent.vector.RecheckCostHarness "${1:-20000}"
