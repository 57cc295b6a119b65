#!/usr/bin/env bash
# sockleak's verdicts on a mixed suite of leaky and clean fixture tests, run N rounds in each mode: sequential and
# parallel (4 threads), each with the origin agent (-javaagent) and without it (sockleak.origins=off).
# Usage: bench/verdict-harness.sh [N]   (N rounds per mode, default 10: about 4 minutes on 2 cores)
# JAVA_HOME picks the JDK (else `java` on the PATH). Prints a markdown table; keeps the table, every wrong verdict
# with its report (details.txt) and sockleak's console output (stderr.log) under bench/results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=${1:-10}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -pl benchmarks -am package -DskipTests
agent_jar=extension/target/sockleak-junit-0.1.0-SNAPSHOT.jar
classpath="benchmarks/target/classes:benchmarks/target/lib/*"
out=bench/results/verdict-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

harness_pid=
follower_pid=
end_harness() {
  if [ -n "$harness_pid" ]; then kill "$harness_pid" 2>/dev/null || true; fi
  if [ -n "$follower_pid" ]; then kill "$follower_pid" 2>/dev/null || true; fi
}
trap end_harness EXIT
trap 'end_harness; exit 143' TERM
trap 'end_harness; exit 130' INT

# run_harness agent|off JVM-OPTIONS...: one JVM for the N rounds of both modes, ended by PID if this script is.
run_harness() {
  local origins=$1
  shift
  # Native access lets JDK 22+ read netlink; JDK 17 accepts the option and reads /proc.
  "$java" --enable-native-access=ALL-UNNAMED "$@" -cp "$classpath" io.github.sockleak.benchmarks.verdict.VerdictHarness \
    --origins "$origins" --rounds "$rounds" --rows "$out/rows.md" --details "$out/details.txt" \
    >"$out/progress-$origins.log" 2>>"$out/stderr.log" &
  harness_pid=$!
  # Progress on the terminal; in the background, so that a signal to this script ends the harness at once.
  tail -n +1 -f "$out/progress-$origins.log" --pid "$harness_pid" 2>/dev/null | grep --line-buffered '^# round' >&2 &
  follower_pid=$!
  local status=0
  wait "$harness_pid" || status=$?
  harness_pid=
  wait "$follower_pid" 2>/dev/null || true
  follower_pid=
  if [ "$status" -ne 0 ]; then
    echo "the harness (origins $origins) exited with $status; see $out/progress-$origins.log and $out/stderr.log" >&2
    exit "$status"
  fi
}

run_harness agent "-javaagent:$agent_jar"
run_harness off

version=$("$java" -version 2>&1 | head -n 1)
source=$(grep -h -m1 -o 'snapshots from [a-z]*' "$out/progress-agent.log" | sed 's/snapshots from //')
{
  echo "Verdicts over $rounds rounds per mode; $version; snapshots from $source; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| mode | tests run | leaky caught/total | clean failed | misattributed | overlap notes missing | also seen |"
  echo "|---|---|---|---|---|---|---|"
  cat "$out/rows.md"
  echo
  wrong=$(grep -cE '^== (MISSED LEAK|FALSE FAILURE|MISATTRIBUTION|OVERLAP NOTE MISSING)' "$out/details.txt" || true)
  other=$(grep -cE '^== (FIXTURE ERROR|HARNESS PROBLEM)' "$out/details.txt" || true)
  echo "Wrong verdicts written out with their reports: $wrong; fixture errors and harness problems: $other (in $out/details.txt)."
} | tee "$out/table.md"
