# Sourced by the netlink benchmarks.

# Prints a JDK 22+ home (for java.lang.foreign): JAVA_HOME if it is one, else the newest JDK in /usr/lib/jvm.
find_jdk22() {
  local home
  for home in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    local major
    major=$("$home/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/')
    if [ "$major" -ge 22 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  echo "no JDK 22+ found (looked in JAVA_HOME and /usr/lib/jvm)" >&2
  return 1
}

# run_benchmark JDK CLASSPATH MAIN ARGS...: runs MAIN with native access, giving it first the file where it writes
# the PIDs of the background holders it starts; however the run ends, the JVM and every holder are ended by PID.
run_benchmark() {
  local jdk=$1 classpath=$2 main=$3
  shift 3
  pids=$(mktemp)
  bench_pid=
  trap end_benchmark EXIT INT TERM
  "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" "$main" "$pids" "$@" &
  bench_pid=$!
  wait "$bench_pid"
  bench_pid=
}

end_benchmark() {
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; fi
  if [ -f "$pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"
    rm -f "$pids"
  fi
}
