#!/usr/bin/env bash
# netlink vs /proc vs `ss -tan`, and the extension's per-test check, under N background loopback connections
# held by other processes (N = 0, 5,000, 50,000 unless given). One command; prints a table of medians.
#   bench/netlink-vs-proc.sh [rounds] [N...]
# Built with a JDK 22+; run on BENCH_JAVA_HOME if set (a JDK 17 to 21 reads netlink through JNA), else on that JDK.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-31}
shift || true
populations=("${@:-0 5000 50000}")

source bench/netlink-common.sh
jdk=$(find_jdk22)
run_jdk=${BENCH_JAVA_HOME:-$jdk}

# 50,000 connections are 100,000 descriptors: spread over holders of 9,000 each, but each needs the limit raised.
ulimit -n "$(ulimit -Hn)"

JAVA_HOME=$jdk ./mvnw -q -B -Dmaven.test.skip=true -pl benchmarks -am package
classpath="benchmarks/target/classes:benchmarks/target/lib/*"

run_benchmark "$run_jdk" "$classpath" io.github.sockleak.benchmarks.NetlinkVsProc "$rounds" ${populations[*]}
