#!/usr/bin/env bash
# netlink vs /proc vs `ss -tan`, and the extension's per-test check, under N background loopback connections
# held by other processes (N = 0, 5,000, 50,000 unless given). One command; prints a table of medians.
#   bench/netlink-vs-proc.sh [rounds] [N...]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-31}
shift || true
populations=("${@:-0 5000 50000}")

source bench/jdk22.sh
jdk=$(find_jdk22)

# 50,000 connections are 100,000 descriptors: spread over holders of 9,000 each, but each needs the limit raised.
ulimit -n "$(ulimit -Hn)"

JAVA_HOME=$jdk ./mvnw -q -B -Dmaven.test.skip=true -pl benchmarks -am package
classpath="benchmarks/target/classes:benchmarks/target/lib/*"

pids=$(mktemp)
bench_pid=
cleanup() {
  # Every process this run started, by PID: the benchmark JVM, then the holders it wrote down.
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; fi
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"
  rm -f "$pids"
}
trap cleanup EXIT INT TERM

"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.github.sockleak.benchmarks.NetlinkVsProc "$pids" "$rounds" ${populations[*]} &
bench_pid=$!
wait "$bench_pid"
bench_pid=
