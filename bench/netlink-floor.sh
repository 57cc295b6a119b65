#!/usr/bin/env bash
# Where a full netlink snapshot's time goes: the kernel's dump alone (nothing decoded), the dump decoded into rows,
# and the whole snapshot, each against `ss -tan` in the same run, under N background loopback connections held by
# other processes (N = 5,000 unless given). The first column is the floor for any reader of the kernel's dump.
#   bench/netlink-floor.sh [rounds] [N...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/jdk22.sh

rounds=${1:-51}
shift || true
populations=("${@:-5000}")
jdk=$(find_jdk22)
ulimit -n "$(ulimit -Hn)"

JAVA_HOME=$jdk ./mvnw -q -B -Dmaven.test.skip=true -pl benchmarks -am package
classpath="benchmarks/target/classes:benchmarks/target/lib/*"
work=$(mktemp -d)
pids="$work/pids"
touch "$pids"
bench_pid=
cleanup() {
  # Every process this run started, by PID: the benchmark JVM, then the holders it wrote down.
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; fi
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$jdk/bin/javac" -d "$work/classes" -cp "$classpath" bench/netlink-floor/NetlinkFloor.java
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$work/classes:$classpath" \
  io.github.sockleak.internal.netlink.NetlinkFloor "$pids" "$rounds" ${populations[*]} &
bench_pid=$!
wait "$bench_pid"
bench_pid=
