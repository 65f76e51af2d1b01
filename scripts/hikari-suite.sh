#!/usr/bin/env bash
# HikariCP's own test suite, run without the agent and under it, with the results compared test by
# test: the agent must change none (issue 11: it never borrows from, holds or changes a pool).
#
# Two sources, each at a fixed point; nothing of them is kept in the repository:
#   dev    HikariCP's dev branch at commit 604d7d58 (6.0.1-SNAPSHOT), built and tested with its
#          own pom (its surefire forks one JVM per test class; the agent joins each fork's
#          argLine). From GitHub, or from HIKARI_SOURCES=<a clone holding that commit> where GitHub
#          is not reachable.
#   2.7.9  Debian's hikaricp 2.7.9-1 source package (the upstream release tarball whole, tests
#          included; checked against a fixed SHA-256), compiled against HikariCP 2.7.9 from Maven
#          Central (scripts/hikari-suite/pom.xml). Needs only Debian's mirror: what -Plong
#          (HikariSuiteIT) runs where GitHub is not reachable.
#
# Usage: bash scripts/hikari-suite.sh [dev|2.7.9]   (default dev; 10-20 minutes: two runs)
# Exit: 0 when both runs give every test the same outcome, 1 otherwise (the differences listed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source=${1:-dev}
dev_commit=604d7d5838e96afbbdd4e19eedab7497cf368eb6
work=$root/agent/target/hikari-suite-$source
mkdir -p "$work"
rm -rf "$work/src" && mkdir -p "$work/src"

case $source in
  dev)
    if [ -n "${HIKARI_SOURCES:-}" ]; then
      # a clone (bare or not) that holds the commit: the commit's tree, whatever is checked out
      git -C "$HIKARI_SOURCES" cat-file -e "$dev_commit^{commit}" 2>/dev/null \
        || { echo "hikari-suite: $HIKARI_SOURCES is no clone holding commit $dev_commit" >&2; exit 2; }
      git -C "$HIKARI_SOURCES" archive "$dev_commit" | tar -x -C "$work/src"
    else
      curl -fsSL "https://codeload.github.com/brettwooldridge/HikariCP/tar.gz/$dev_commit" \
        | tar -xz -C "$work/src" --strip-components=1 || {
        echo "hikari-suite: GitHub is not reachable; set HIKARI_SOURCES to a checkout of" \
          "brettwooldridge/HikariCP at $dev_commit, or run: bash scripts/hikari-suite.sh 2.7.9" >&2
        exit 2
      }
    fi
    ;;
  2.7.9)
    version=2.7.9
    debian_version=2.7.9-1
    tarball=hikaricp_$version.orig.tar.xz
    sha256=0f5d27f3c925eaaff1714806a61f15282d604fd15a3d52bed1c71e7d5c5b66e8
    if [ ! -f "$work/$tarball" ] || ! echo "$sha256  $work/$tarball" | sha256sum -c --status; then
      (cd "$work" && apt-get source --download-only "hikaricp=$debian_version" >/dev/null 2>&1) || {
        # no deb-src entry on this machine: a private one, on the mirror the machine already uses,
        # without touching the system's apt configuration
        mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)
        [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
        apt=$work/apt
        mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
        echo "deb-src $mirror $(. /etc/os-release && echo "$VERSION_CODENAME") main" >"$apt/sources.list"
        opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/none"
          -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
        apt-get "${opts[@]}" update -q >/dev/null
        (cd "$work" && apt-get "${opts[@]}" source --download-only "hikaricp=$debian_version" >/dev/null)
      }
      echo "$sha256  $work/$tarball" | sha256sum -c --status \
        || { echo "hikari-suite: $tarball does not have the expected SHA-256" >&2; exit 2; }
    fi
    tar -xJf "$work/$tarball" -C "$work/src" --strip-components=1
    ;;
  *)
    echo "hikari-suite: unknown source '$source' (dev or 2.7.9)" >&2
    exit 2
    ;;
esac

# 2. the agent (PULSE_AGENT_JAR: one already built, as the -Plong test passes it)
agent=${PULSE_AGENT_JAR:-}
if [ -z "$agent" ]; then
  mvn -q -B -ntp -DskipTests package -pl agent -am
  agent=$root/agent/target/pulse-agent.jar
fi

# 3. both runs
run() {
  local name=$1 agent_flag=$2
  rm -rf "$work/reports-$name"
  if [ "$source" = dev ]; then
    # its own pom: coverage off (its agent is not the subject), the agent beside its module flag
    rm -rf "$work/src/target/surefire-reports"
    (cd "$work/src" && mvn -B -ntp test -Djacoco.skip=true -DsurefireArgLine= \
      -DsureFireOptions11="--add-modules=ALL-MODULE-PATH $agent_flag") >"$work/run-$name.log" 2>&1 || true
    cp -r "$work/src/target/surefire-reports" "$work/reports-$name" 2>/dev/null || mkdir -p "$work/reports-$name"
  else
    mvn -B -ntp -q -f scripts/hikari-suite/pom.xml test -Dsuite.sources="$work/src" \
      -Dsuite.argLine="$agent_flag" -Dsuite.reports="$work/reports-$name" \
      -Dsuite.build="$work/build" >"$work/run-$name.log" 2>&1 || true
  fi
}
run without ""
run with "-javaagent:$agent=port=0,log.level=warn"

# 4. one line per test: "class#test outcome"
outcomes() {
  awk '
    function flush() { if (name != "") print cls "#" name " " state; name = "" }
    /<testcase / {
      flush()
      match($0, / name="[^"]*"/); name = substr($0, RSTART + 7, RLENGTH - 8)
      match($0, / classname="[^"]*"/); cls = substr($0, RSTART + 12, RLENGTH - 13)
      state = "passed"
      if ($0 ~ /\/>[[:space:]]*$/) flush()
      next
    }
    /<failure/ { state = "failed" } /<error/ { state = "error" } /<skipped/ { state = "skipped" }
    /<\/testcase>/ { flush() }
  ' "$1"/TEST-*.xml | sort
}
outcomes "$work/reports-without" >"$work/without.txt"
outcomes "$work/reports-with" >"$work/with.txt"
total=$(wc -l <"$work/without.txt")
passed=$(grep -c ' passed$' "$work/without.txt" || true)
echo "HikariCP $source suite: $total tests, $passed passed without the agent"
if [ "$total" -eq 0 ]; then
  echo "hikari-suite: no test ran (see $work/run-without.log)" >&2
  exit 2
fi
if diff "$work/without.txt" "$work/with.txt" >"$work/differences.txt"; then
  echo "the same outcome for every test under the agent ($(grep -c ' passed$' "$work/with.txt") passed)"
else
  echo "differences (< without the agent, > with it):"
  cat "$work/differences.txt"
  exit 1
fi
