#!/usr/bin/env bash
# A churning background load for running anything beside it: LOAD_CONNECTIONS (10,000) established loopback
# connections held by other processes, LOAD_CHURN_PER_SECOND (1,000) of them closed and replaced every second,
# and LOAD_BUSY_CORES (1) processes that each keep a core busy.
#
#   bash bench/background-load.sh & LOAD=$!; ./mvnw -B verify; kill $LOAD; wait
#
# Prints READY on stdout once every connection is up, then runs until it gets SIGTERM or SIGINT, or until its
# stdin closes when stdin is a pipe or a FIFO (a background job's stdin is /dev/null and is not watched), or until
# one of its processes dies. It then ends every process it started, by PID, and prints on stderr what the
# holders achieved. The PIDs are written to LOAD_PID_FILE (printed on stderr) as they start. See bench/README.md.
set -euo pipefail

connections=${LOAD_CONNECTIONS:-10000}
churn=${LOAD_CHURN_PER_SECOND:-1000}
busy_cores=${LOAD_BUSY_CORES:-1}
listeners=${LOAD_LISTENERS:-4}                # listening sockets per holder process
orderly_percent=${LOAD_ORDERLY_PERCENT:-0}    # replaced connections closed with FINs, leaving TIME-WAIT rows
per_holder=${LOAD_PER_HOLDER:-2500}           # connections per holder process: 2 descriptors each
readonly JVM_DESCRIPTORS=256
readonly READY_TIMEOUT_SECONDS=180
readonly HOLDER_JVM=(-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
pid_file=${LOAD_PID_FILE:-${TMPDIR:-/tmp}/sockleak-background-load-$$.pids}

say() { echo "background-load: $*" >&2; }
fail() { say "$*"; exit 1; }

started=()      # every process this script started, by PID
holder_outs=()  # each holder's stdout: READY, then CHURNED lines
work=$(mktemp -d)
ready_at=

summary() {
    [[ -n $ready_at ]] || return 0
    local out line word replaced millis failed total=0 longest=0 failures=0
    for out in "${holder_outs[@]}"; do
        line=$(grep '^CHURNED ' "$out" | tail -n 1) || continue
        read -r word replaced millis failed <<< "$line"
        total=$(( total + replaced ))
        failures=$(( failures + failed ))
        (( millis > longest )) && longest=$millis
    done
    if (( longest > 0 )); then
        say "held $connections connections for $(( SECONDS - ready_at )) s; replaced $total in $(( longest / 1000 )) s" \
            "($(( total * 1000 / longest ))/s, $churn/s asked), $failures replacements failed"
    fi
}

cleanup() {
    local status=$? pid deadline
    trap - EXIT INT TERM
    summary
    # The holders and busy loops end by themselves once nothing holds their stdin's FIFO open for writing.
    if [[ -n ${keep_open:-} ]]; then exec {keep_open}>&-; fi
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    deadline=$(( SECONDS + 15 ))
    for pid in "${started[@]}"; do
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
    rm -f "$pid_file"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v ss >/dev/null || fail "ss is not on the PATH (package iproute2)"
[[ -r /proc/net/tcp ]] || fail "no /proc/net/tcp: this load needs Linux"
for n in "$connections" "$churn" "$busy_cores" "$listeners" "$orderly_percent" "$per_holder"; do
    [[ $n =~ ^[0-9]+$ ]] || fail "settings must be whole numbers, got '$n'"
done
(( connections > 0 && per_holder > 0 && listeners > 0 && orderly_percent <= 100 )) \
    || fail "LOAD_CONNECTIONS, LOAD_PER_HOLDER and LOAD_LISTENERS must be positive, LOAD_ORDERLY_PERCENT within 0..100"

# Raise the soft descriptor limit as far as the hard one allows, and fit the holders under it.
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]]; then ulimit -n $(( 2 * per_holder + JVM_DESCRIPTORS )); else ulimit -n "$hard"; fi
soft=$(ulimit -n)
if (( 2 * per_holder + JVM_DESCRIPTORS > soft )); then
    per_holder=$(( (soft - JVM_DESCRIPTORS) / 2 ))
    (( per_holder > 0 )) || fail "ulimit -n is $soft (hard $hard): too few descriptors to hold connections"
fi
read -r port_low port_high < /proc/sys/net/ipv4/ip_local_port_range
if (( port_high - port_low + 1 < connections + 1000 )); then
    say "warning: the ephemeral port range $port_low-$port_high is narrow for $connections connections"
fi

# The holders use nothing but the JDK: compiled here, apart from the build, so that a build started beside this
# script (the usage above) does not race it for target/.
say "compiling the load's classes"
sources="$root/benchmarks/src/main/java/io/github/sockleak/benchmarks"
"$javac" --release 17 -nowarn -d "$work/classes" "$sources/ChurningConnections.java" "$sources/BusyCore.java"

# Everything started reads its stdin from this FIFO until it closes: only this script holds it open for writing,
# so if the script is killed outright, they end all the same.
mkfifo "$work/stdin"
exec {keep_open}<>"$work/stdin"
: > "$pid_file"
say "PIDs in $pid_file"

# start OUT COMMAND...: starts COMMAND in the background with its stdout in OUT and records its PID.
start() {
    local out=$1
    shift
    : > "$out"
    "$@" < "$work/stdin" > "$out" {keep_open}>&- &
    started+=("$!")
    echo "$!" >> "$pid_file"
}

# await_ready OUT PID: waits for the READY line in OUT.
await_ready() {
    local out=$1 pid=$2 deadline=$(( SECONDS + READY_TIMEOUT_SECONDS ))
    until grep -q '^READY' "$out"; do
        kill -0 "$pid" 2>/dev/null || fail "process $pid ended before READY (see its error above)"
        (( SECONDS < deadline )) || fail "process $pid not READY after ${READY_TIMEOUT_SECONDS}s"
        sleep 0.2
    done
}

holders=$(( (connections + per_holder - 1) / per_holder ))
say "starting $connections churning connections in $holders processes, $churn replacements/s in all"
left=$connections
for (( h = 0; h < holders; h++ )); do
    count=$(( left / (holders - h) ))
    left=$(( left - count ))
    # Each holder's share of the rate, in replacements per second (a decimal is fine: it paces by time).
    rate=$(awk -v c="$churn" -v n="$count" -v t="$connections" 'BEGIN { printf "%.3f", c * n / t }')
    out="$work/holder-$h.out"
    holder_outs+=("$out")
    start "$out" "$java" "${HOLDER_JVM[@]}" -cp "$work/classes" io.github.sockleak.benchmarks.ChurningConnections \
        "$count" "$rate" "$listeners" "$orderly_percent"
done
for (( h = 0; h < holders; h++ )); do await_ready "${holder_outs[h]}" "${started[h]}"; done
for (( b = 0; b < busy_cores; b++ )); do
    start "$work/busy-$b.out" "$java" -Xmx16m -XX:+UseSerialGC -cp "$work/classes" io.github.sockleak.benchmarks.BusyCore
    await_ready "$work/busy-$b.out" "${started[-1]}"
done
ready_at=$SECONDS
say "$(ss -tan | wc -l) rows in ss -tan"
echo READY

# Watches stdin for its end only when it is a pipe or a FIFO: a background job's stdin is /dev/null, which ends
# at once, and a terminal would stop a background job that reads it.
watched=("${started[@]}")
if [[ -p /dev/stdin ]]; then
    exec {stdin_copy}<&0
    cat <&"$stdin_copy" > /dev/null {keep_open}>&- &
    started+=("$!")
    echo "$!" >> "$pid_file"
    watched+=("$!")
    exec {stdin_copy}<&-
fi
# Returns when any of them ends (stdin closed, or a process died), or at once on SIGTERM or SIGINT (the traps).
wait -n "${watched[@]}" || true
if [[ -p /dev/stdin ]] && ! kill -0 "${started[-1]}" 2>/dev/null; then
    say "stdin closed: ending the load"
else
    say "a process of the load ended: ending the rest"
    exit 1
fi
