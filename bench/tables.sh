#!/usr/bin/env bash
# Prints the README's benchmark tables, each measured in one run, and keeps a copy under bench/results/.
#
#   bench/tables.sh [options] [table...]      tables: snapshots check queue settle floor overhead timeline memory jmh verdicts,
#                                             or all (the default); and, not in all: paired (about 20 min), the
#                                             HttpClient GET with and without the agent in interleaved forks; jdks
#                                             (about 4 min), the clean check on this JDK against --against's, in
#                                             pairs of JVMs; populations (about 5 min), the clean check at --n's
#                                             one N (default 50,000) against none, in pairs in one JVM
#   bench/tables.sh load                      the churning background load, until killed (see bench/README.md)
#
# Options:
#   --rounds R         timed rounds per figure of snapshots, floor and settle (default 31)
#   --tests T          tests per figure of check, queue, overhead and timeline (default 200)
#   --n N,N...         background connections, instead of each table's own populations
#   --settle MS        the settle of the settle table, in ms (default 200)
#   --verdict-rounds N rounds per mode of the verdict harness (default 10)
#   --jmh-args "..."   arguments for JMH's main (default: none, the benchmarks' own forks and iterations)
#   --pairs P          pairs of forks of the paired table (default 30), of JVMs of the jdks table and of
#                      populations of the populations table (default 10);
#                      PAIRED_AGENT=installed compares the agent installed without stacks or a test's mark, instead
#                      of with both
#   --against JDK      the other JDK's home, for the jdks table
#   --memory-args "..."  arguments for SnapshotMemory: the connections held (default 10,000)
#   --quick            a short run to see that everything works: --rounds 5 --tests 50 --n 0,2000
#                      --verdict-rounds 1 --memory-args 2000, and JMH with one short fork
#   --no-jna           leaves JNA off the class path: a JDK 17 to 21 then reads /proc
#   --no-agent         runs the Java tables without the origin agent (sockleak.origins=off); by default it is loaded
#                      with -javaagent, as the README recommends, on every JDK alike
#   --no-build         uses the benchmarks module as last built
#
# The JDK: BENCH_JAVA_HOME, else JAVA_HOME, else `java` on the PATH; it also builds the module, so that a JDK 22+
# gets the netlink classes for java.lang.foreign. Native access is enabled (JDK 17 accepts the option).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly JAVA_TABLES=(snapshots check queue settle floor overhead timeline)
readonly ALL_TABLES=("${JAVA_TABLES[@]}" memory jmh verdicts)

rounds=31 tests=200 settle=200 populations= verdict_rounds=10 jmh_args= memory_args= pairs= against= jna=yes agent=yes build=yes
tables=()
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while (( $# > 0 )); do
  case $1 in
    --rounds) rounds=$2; shift ;;
    --tests) tests=$2; shift ;;
    --n) populations=$2; shift ;;
    --settle) settle=$2; shift ;;
    --verdict-rounds) verdict_rounds=$2; shift ;;
    --jmh-args) jmh_args=$2; shift ;;
    --memory-args) memory_args=$2; shift ;;
    --pairs) pairs=$2; shift ;;
    --against) against=$2; shift ;;
    --quick) rounds=5 tests=50 populations=0,2000 verdict_rounds=1 memory_args=2000 jmh_args="-f 1 -wi 1 -i 1 -w 1s -r 1s" ;;
    --no-jna) jna= ;;
    --no-agent) agent= ;;
    --no-build) build= ;;
    all) tables+=("${ALL_TABLES[@]}") ;;
    load|snapshots|check|queue|settle|floor|overhead|timeline|memory|jmh|verdicts|paired|jdks|populations) tables+=("$1") ;;
    *) usage ;;
  esac
  shift
done
(( ${#tables[@]} > 0 )) || tables=("${ALL_TABLES[@]}")
[[ " ${tables[*]} " != *" load "* || ${tables[*]} == load ]] || usage
[[ " ${tables[*]} " != *" jdks "* || ( -n $against && -x $against/bin/java ) ]] ||
  { echo "tables: jdks needs --against <another JDK's home>" >&2; exit 2; }
[[ " ${tables[*]} " != *" populations "* || $populations =~ ^[0-9]*$ ]] ||
  { echo "tables: populations takes one N in --n, not a list" >&2; exit 2; }

jdk=${BENCH_JAVA_HOME:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}
java=$jdk/bin/java
[[ -x $java ]] || { echo "tables: no java in $jdk" >&2; exit 1; }
command -v ss >/dev/null || { echo "tables: ss is not on the PATH (package iproute2)" >&2; exit 1; }
# 50,000 connections are 100,000 descriptors, spread over holder processes of 9,000 each; each needs the limit raised.
ulimit -n "$(ulimit -Hn)"

if [[ -n $build ]]; then
  echo "tables: building the benchmarks module with $jdk" >&2
  JAVA_HOME=$jdk ./mvnw -q -B -Dmaven.test.skip=true -pl benchmarks -am package
fi
classes=benchmarks/target/classes
jars=()
for jar in benchmarks/target/lib/*.jar; do
  if [[ -z $jna && $(basename "$jar") == jna-* ]]; then continue; fi
  jars+=("$jar")
done
classpath=$classes$(printf ':%s' "${jars[@]}")

# Every process this script starts runs in the background and is ended by its PID, however the script ends.
child=
work=$(mktemp -d)
end_child() { if [[ -n $child ]]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi; }
trap 'end_child; rm -rf "$work"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
run() { "$@" & child=$!; wait "$child"; child=; }
run_java() { run "$java" --enable-native-access=ALL-UNNAMED -cp "$classpath" "$@"; }

if [[ ${tables[*]} == load ]]; then
  # A copy of the class path: a build started beside the load, as bench/README.md shows, rewrites target/.
  cp -r "$classes" "$work/classes"
  mkdir "$work/lib"
  cp "${jars[@]}" "$work/lib/"
  classpath="$work/classes:$work/lib/*"
  run_java io.github.sockleak.benchmarks.BackgroundLoad "${LOAD_CONNECTIONS:-10000}" "${LOAD_CHURN_PER_SECOND:-1000}" \
    "${LOAD_BUSY_CORES:-1}" "${LOAD_LISTENERS:-4}" "${LOAD_ORDERLY_PERCENT:-0}" "${LOAD_PER_HOLDER:-2500}"
  exit
fi

mkdir -p bench/results
results=bench/results/tables-$(date +%Y%m%d-%H%M%S).md
exec > >(tee "$results")
echo "# $(date -Is) $(uname -sr), $(nproc) cpus; $("$java" -version 2>&1 | head -n 1)${jna:+, JNA on the class path}"

java_tables=()
for table in "${tables[@]}"; do
  if [[ " ${JAVA_TABLES[*]} " == *" $table "* ]]; then java_tables+=("$table"); fi
done
# The agent the same way on every JDK: left to the extension, it is attached at the first check on JDK 17 to 20 and
# stays out on JDK 21+, which would warn of that attach.
if [[ -n $agent ]]; then
  agent_jars=(benchmarks/target/lib/sockleak-junit-*.jar)
  origins=(-javaagent:"${agent_jars[0]}")
else
  origins=(-Dsockleak.origins=off)
fi
if (( ${#java_tables[@]} > 0 )); then
  run_java "${origins[@]}" io.github.sockleak.benchmarks.Tables --rounds "$rounds" --tests "$tests" --settle "$settle" \
    ${populations:+--n "$populations"} "${java_tables[@]}"
fi

for table in "${tables[@]}"; do
  case $table in
    memory)
      # shellcheck disable=SC2086 # the arguments are words
      run_java io.github.sockleak.benchmarks.SnapshotMemory $memory_args ;;
    jmh)
      echo; echo "### The origin agent (JMH)"; echo
      # shellcheck disable=SC2086 # the arguments are words
      run_java org.openjdk.jmh.Main $jmh_args ;;
    paired)
      run_java io.github.sockleak.benchmarks.PairedRuns 'origins.HttpGetBenchmark' agent none "${PAIRED_AGENT:-stacks}" "${pairs:-30}" ;;
    jdks)
      # Each JVM of a pair starts with this one's options and class path.
      run_java "${origins[@]}" io.github.sockleak.benchmarks.JdkPairs "$against" "${pairs:-10}" "$tests" ;;
    populations)
      run_java "${origins[@]}" io.github.sockleak.benchmarks.PopulationPairs "${populations:-50000}" "${pairs:-10}" "$tests" ;;
    verdicts)
      echo; echo "### Verdicts"; echo
      [[ -n $jna ]] || echo "(the verdict harness keeps JNA on its class path)"
      run env JAVA_HOME="$jdk" bench/verdict-harness.sh "$verdict_rounds" ;;
  esac
done
echo "tables: results in $results" >&2
