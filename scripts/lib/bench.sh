# Sourced by the benchmark scripts: one way to build a module's test class path and to say on
# what machine the figures were taken.

# Compiles MODULE (and what it needs) and prints its test classes followed by the third-party jars
# of its test scope: never the project's own jars, so each script puts exactly the classes it
# means (an agent's classes come only from its -javaagent jar).
bench_classpath() {
  local module=$1 file="$PWD/$1/target/bench.classpath"
  mvn -q -B -ntp -pl "$module" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.excludeGroupIds=dev.pulse -Dmdep.outputFile="$file" >/dev/null
  # the reactor hands sibling modules over as class folders, whatever the exclusion says: drop
  # them, or the host's class path would carry the agent's own unshaded classes
  echo "$module/target/test-classes:$(tr ':' '\n' <"$file" | grep '\.jar$' | paste -sd: -)"
}

bench_machine() {
  echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -n 1), load: $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $(ulimit -n)"
}

# Fetches the OpenTelemetry Java agent (the version the pom names) from Maven Central into
# agent/target/bench and sets the JVM flags of the two agents compared: $otel_flags (every exporter
# off) and $pulse_flags (a free port, warnings only; add ",name=value" for more settings).
bench_agents() {
  local version
  version=$(sed -n "s:.*<otel-agent.version>\(.*\)</otel-agent.version>.*:\1:p" pom.xml)
  mvn -q -B -ntp dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$version" \
    -DoutputDirectory=agent/target/bench
  otel_flags="-javaagent:agent/target/bench/opentelemetry-javaagent-$version.jar -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none -Dotel.javaagent.logging=none"
  pulse_flags="-javaagent:agent/target/pulse-agent.jar=port=0,log.level=warn"
}
