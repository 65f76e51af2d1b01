#!/usr/bin/env bash
# Vector-search tracking costs: on the application's thread (JMH: the verdict every statement
# pays, the bookkeeping of one search) and on the database (an exact re-check against the search).
# Needs PostgreSQL with pgvector: PULSE_TEST_JDBC_URL, or the URL scripts/provision-postgres.sh prints.
set -euo pipefail
cd "$(dirname "$0")/.."
export PULSE_TEST_JDBC_URL=${PULSE_TEST_JDBC_URL:-$(bash scripts/provision-postgres.sh | tail -n 1)}

classpath_file="$PWD/agent/target/bench-vector.classpath"
# In one reactor run, so the broadcaster resolves to its freshly compiled classes.
mvn -q -B -ntp -pl agent -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.excludeGroupIds=dev.pulse -Dmdep.outputFile="$classpath_file"
cp="agent/target/classes:agent/target/test-classes:broadcaster/target/classes:$(cat "$classpath_file")"

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -n 1), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== on the application's thread (JMH)"
java -cp "$cp" org.openjdk.jmh.Main VectorOverheadBenchmark -prof gc -rf text \
  -rff agent/target/jmh-vector.txt >/dev/null
grep -E "^Benchmark|Benchmark\.[a-zA-Z]+(:gc\.alloc\.rate\.norm)? " agent/target/jmh-vector.txt
echo "== on the database"
java -cp "$cp" dev.pulse.agent.vector.RecheckCostHarness "${1:-20000}"
