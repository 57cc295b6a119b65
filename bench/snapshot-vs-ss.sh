#!/usr/bin/env bash
# Times Sockets.snapshot() against `ss -tan` on a socket table crowded by N background loopback
# connections held by other processes, for N = 0, 1,000 and 10,000, and prints one table row per N.
# Usage: bench/snapshot-vs-ss.sh   (from anywhere; builds the benchmarks module with the Maven Wrapper)
# See bench/README.md for what the figures mean.
set -euo pipefail

readonly SIZES=(0 1000 10000)
readonly REPETITIONS=30
# Each holder needs 2 descriptors per connection plus the JVM's own.
readonly MAX_PER_HOLDER=4000
readonly JVM_DESCRIPTORS=256
readonly READY_TIMEOUT_SECONDS=120

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

fail() {
    echo "snapshot-vs-ss: $*" >&2
    exit 1
}

holders=()
work=$(mktemp -d)
cleanup() {
    local pid
    for pid in "${holders[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v ss >/dev/null || fail "ss is not on the PATH (package iproute2)"
[[ -r /proc/net/tcp ]] || fail "no /proc/net/tcp: this benchmark needs Linux"

largest=${SIZES[-1]}
per_holder=$(( MAX_PER_HOLDER < largest ? MAX_PER_HOLDER : largest ))

# Raise the soft descriptor limit as far as the hard one allows, and split the connections over
# enough holders that each fits under it.
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]]; then
    ulimit -n $(( 2 * per_holder + JVM_DESCRIPTORS ))
else
    ulimit -n "$hard"
fi
soft=$(ulimit -n)
if (( 2 * per_holder + JVM_DESCRIPTORS > soft )); then
    per_holder=$(( (soft - JVM_DESCRIPTORS) / 2 ))
    (( per_holder > 0 )) || fail "ulimit -n is $soft (hard $hard): too few descriptors to hold connections"
fi

# Every client takes an ephemeral port; all of them talk to a few listener ports, so the whole
# range must hold the largest N with room left for everything else on the machine.
read -r port_low port_high < /proc/sys/net/ipv4/ip_local_port_range
(( port_high - port_low + 1 >= largest + 1000 )) \
    || fail "ephemeral port range $port_low-$port_high is too small for $largest connections"

echo "building the benchmarks module" >&2
./mvnw -q -pl benchmarks -am package -DskipTests
classpath="benchmarks/target/classes:benchmarks/target/lib/*"

# The holders read their stdin until it closes: only this script keeps the FIFO open for writing,
# so if the script dies without its trap, the holders still end.
mkfifo "$work/stdin"
exec {keep_open}<>"$work/stdin"

ports=()
held=0
# Starts a holder of $1 connections and waits for its READY line.
start_holder() {
    local count=$1 out="$work/holder-${#holders[@]}.out" pid reader line word ready port
    mkfifo "$out"
    "$java" -cp "$classpath" io.github.sockleak.benchmarks.BackgroundConnections "$count" \
        < "$work/stdin" > "$out" {keep_open}>&- &
    pid=$!
    holders+=("$pid")
    exec {reader}<"$out"
    local deadline=$(( SECONDS + READY_TIMEOUT_SECONDS ))
    while true; do
        (( SECONDS < deadline )) || fail "holder $pid not READY after ${READY_TIMEOUT_SECONDS}s"
        if ! IFS= read -r -t $(( deadline - SECONDS )) -u "$reader" line; then
            (( SECONDS < deadline )) || fail "holder $pid not READY after ${READY_TIMEOUT_SECONDS}s"
            fail "holder $pid ended before READY (see its error above)"
        fi
        read -r word ready port <<< "$line"
        if [[ $word == READY ]]; then
            break
        fi
    done
    exec {reader}<&-
    [[ $ready == "$count" ]] || fail "holder $pid is READY with $ready connections, not $count"
    ports+=("$port")
    held=$(( held + count ))
}

mkdir -p bench/results
results="bench/results/snapshot-vs-ss-$(date +%Y%m%d-%H%M%S).txt"
{
    echo "# $(date -Is) $(uname -sr), $(nproc) cpus, $(ss -V 2>&1 | head -1)"
    echo "# $("$java" -version 2>&1 | head -1); $REPETITIONS repetitions each; at most $per_holder connections per holder"
    "$java" -cp "$classpath" io.github.sockleak.benchmarks.SnapshotVsSs --header
} | tee "$results"

for n in "${SIZES[@]}"; do
    while (( held < n )); do
        start_holder $(( n - held < per_holder ? n - held : per_holder ))
    done
    "$java" -cp "$classpath" io.github.sockleak.benchmarks.SnapshotVsSs "$n" "$REPETITIONS" "${ports[@]}" \
        {keep_open}>&- | tee -a "$results" {keep_open}>&-
done
echo "results: $results" >&2
