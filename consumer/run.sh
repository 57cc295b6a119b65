#!/usr/bin/env bash
# Builds consumer/, a user's project made of the README's XML and first example, against the sockleak jars of this
# checkout, for each case the README promises: JDK 17 and 25, JUnit 5.14 and 6, sockleak declared before and after
# JUnit, with junit-bom as the README says and without it, and without JNA. In each, the leaky test must fail with
# sockleak's report and the clean one pass, on the JUnit version the case asked for.
#
#   consumer/run.sh JDK17_HOME JDK25_HOME
#
# sockleak is installed, with its release POMs (flattened, as Central will serve them), into a local repository of
# its own under target/, which falls back on ~/.m2 read-only: nothing of this checkout lands in ~/.m2. Each JUnit
# version is resolved online once, then the cases run offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jdk17=$1
jdk25=$2
work=$root/target/consumer
repo=$work/repository
rm -rf "$work"
mkdir -p "$work"

repo_args=(-Dmaven.repo.local="$repo")
if [ -d "$HOME/.m2/repository" ]; then
  repo_args+=(-Dmaven.repo.local.tail="$HOME/.m2/repository")
fi

echo "consumer: installing sockleak (JDK 25 build, release POMs) into $repo"
JAVA_HOME=$jdk25 "$root/mvnw" -B -q -f "$root/pom.xml" install -P release -pl bom,extension -am -DskipTests \
  -Dmaven.javadoc.skip -Dmaven.source.skip "${repo_args[@]}" > "$work/install.log" 2>&1 \
  || { cat "$work/install.log"; exit 1; }

resolved=" "
failures=0

# One case: NAME JDK_HOME JUNIT_VERSION ORDER BOM EXPECTED_SOURCE [MAVEN_ARGS...]
run_case() {
  local name=$1 jdk=$2 junit=$3 order=$4 bom=$5 source=$6
  shift 6
  local dir=$work/$name report start offline=()
  mkdir -p "$dir"
  cp -r "$root/consumer/src" "$dir/"
  "$jdk25/bin/java" "$root/consumer/PomVariant.java" "$root/consumer/pom.xml" "$dir/pom.xml" "$junit" "$order" "$bom"
  case $resolved in *" $junit "*) offline=(-o) ;; esac
  start=$SECONDS
  # The leaky test fails the build by design: ignore that here and judge the report below.
  if ! JAVA_HOME=$jdk "$root/mvnw" -B "${offline[@]}" -f "$dir/pom.xml" test -Dmaven.test.failure.ignore=true \
      "${repo_args[@]}" "$@" > "$dir/build.log" 2>&1; then
    echo "consumer: $name: the build failed (log: $dir/build.log)"
    tail -n 30 "$dir/build.log"
    failures=$((failures + 1))
    return
  fi
  resolved="$resolved$junit "
  report=$dir/target/surefire-reports/TEST-com.example.FirstLeakCheckTest.xml
  local problems=()
  [ -f "$report" ] || { echo "consumer: $name: no test report: the tests did not run"; failures=$((failures + 1)); return; }
  grep -q 'tests="2"' "$report" || problems+=("not 2 tests")
  grep -q 'failures="1"' "$report" || problems+=("not 1 failure")
  grep -q 'errors="0"' "$report" || problems+=("errors")
  local leaky clean
  leaky=$(awk '/<testcase name="leavesAConnectionInCloseWait"/,/<\/testcase>/' "$report")
  clean=$(awk '/<testcase name="closesWhatItOpens"/{p=1} p&&/<testcase name="leavesAConnectionInCloseWait"/{p=0} p' "$report")
  grep -q 'leaked 1 socket in CLOSE-WAIT' <<< "$leaky" || problems+=("the leaky test has no leak report")
  grep -q 'opened at' <<< "$leaky" || problems+=("the report has no origin: the agent of the argLine did not run")
  grep -q "source $source" <<< "$leaky" || problems+=("the report's source is not $source")
  if grep -q '<failure\|<error' <<< "$clean"; then problems+=("the clean test failed"); fi
  # The user's JUnit on the test class path, and no other.
  grep -q "junit-jupiter-api-$junit.jar" "$report" || problems+=("junit-jupiter-api $junit is not on the test class path")
  if grep -o 'junit-jupiter-api-[0-9][^/:"]*\.jar' "$report" | grep -vq "junit-jupiter-api-$junit.jar"; then
    problems+=("another junit-jupiter-api is on the test class path")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    echo "consumer: $name: the leaky test failed with a report, the clean one passed ($((SECONDS - start)) s)"
  else
    echo "consumer: $name: $(IFS=';'; echo "${problems[*]}") (report: $report)"
    failures=$((failures + 1))
  fi
}

for junit in 6.1.3 5.14.4; do
  for order in sockleak-first junit-first; do
    run_case "jdk17-junit$junit-$order" "$jdk17" "$junit" "$order" bom NETLINK
    run_case "jdk25-junit$junit-$order" "$jdk25" "$junit" "$order" bom NETLINK
  done
done
# Without the BOM, only sockleak's dependency on JUnit being provided keeps the user's version.
run_case "jdk17-junit6.1.3-sockleak-first-no-bom" "$jdk17" 6.1.3 sockleak-first no-bom NETLINK
run_case "jdk17-junit5.14.4-sockleak-first-no-bom" "$jdk17" 5.14.4 sockleak-first no-bom NETLINK
# The README's exclusion of JNA: JDK 17 then reads /proc.
run_case "jdk17-junit6.1.3-without-jna" "$jdk17" 6.1.3 sockleak-first bom PROCFS -P without-jna

if [ "$failures" -ne 0 ]; then
  echo "consumer: $failures case(s) failed"
  exit 1
fi
echo "consumer: every case passed"
