#!/usr/bin/env bash
# netlink vs /proc vs `ss -tan`, and the extension's per-test check, under N background loopback connections
# held by other processes (N = 0, 5,000, 50,000 unless given). One command; prints a table of medians.
#   bench/netlink-vs-proc.sh [rounds] [N...]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-31}
shift || true
populations=("${@:-0 5000 50000}")

# A JDK 22+ for netlink: JAVA_HOME if it is one, else the newest JDK in /usr/lib/jvm.
find_jdk22() {
  local home
  for home in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -x "$home/bin/java" ] || continue
    local major
    major=$("$home/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/')
    if [ "$major" -ge 22 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  echo "no JDK 22+ found (looked in JAVA_HOME and /usr/lib/jvm)" >&2
  return 1
}
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
