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
