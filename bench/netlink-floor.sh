#!/usr/bin/env bash
# Where a full netlink snapshot's time goes: the kernel's dump alone (nothing decoded), the dump decoded into rows,
# and the whole snapshot, each against `ss -tan` in the same run, under N background loopback connections held by
# other processes (N = 5,000 unless given). The first column is the floor for any reader of the kernel's dump.
#   bench/netlink-floor.sh [rounds] [N...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/netlink-common.sh

rounds=${1:-51}
shift || true
populations=("${@:-5000}")
jdk=$(find_jdk22)
ulimit -n "$(ulimit -Hn)"

JAVA_HOME=$jdk ./mvnw -q -B -Dmaven.test.skip=true -pl benchmarks -am package
classpath="benchmarks/target/classes:benchmarks/target/lib/*"
# Compiled into sockleak's package, beside the build's output, to reach the package-private channel classes.
classes=benchmarks/target/netlink-floor-classes
"$jdk/bin/javac" -d "$classes" -cp "$classpath" bench/netlink-floor/NetlinkFloor.java
run_benchmark "$jdk" "$classes:$classpath" io.github.sockleak.internal.netlink.NetlinkFloor "$rounds" ${populations[*]}
