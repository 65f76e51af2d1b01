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

# One delivery-latency run on class path CP: SERVER (DeliveryServer, Pulse's broadcaster, by
# default; PlainDeliveryServer for Java-WebSocket alone) publishing 1,000 events/s to CLIENTS
# receivers in another JVM (DeliveryClients, one thread), 5 s of warm-up, then SECONDS measured
# (default 10). Prints the receivers' line (p50_ms, p99_ms, max_ms, their thread's CPU); the
# server's lines (CPU of each of its threads over the measured part) are appended to LOG.
# Usage: bench_delivery CP CLIENTS [SECONDS [LOG [SERVER]]]
bench_delivery() {
  local cp=$1 clients=$2 seconds=${3:-10} log=${4:-/dev/null} class=${5:-DeliveryServer} port server
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  java -cp "$cp" "dev.pulse.broadcaster.bench.$class" "$port" "$clients" 1000 "$seconds" 5 >>"$log" 2>&1 &
  server=$!
  # the receivers retry until the server listens
  java -cp "$cp" dev.pulse.broadcaster.bench.DeliveryClients "ws://127.0.0.1:$port/" "$clients" $((seconds * 1000))
  wait "$server" || true # its exit may race the receivers leaving
}

# The sizes of an idle JVM: resident memory (MB), threads (/proc/PID/task) and the live heap after
# a full GC (MB), one line, space-separated.
bench_idle_sizes() {
  local pid=$1 rss threads
  rss=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/"$pid"/status)
  threads=$(ls /proc/"$pid"/task | wc -l)
  jcmd "$pid" GC.run >/dev/null
  echo "$rss $threads $(jcmd "$pid" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' \
    | head -n 1 | awk '{ printf "%.2f", $1 / 1024 }')"
}
