# Sourced by the netlink benchmarks: find_jdk22 prints a JDK 22+ home (for java.lang.foreign), JAVA_HOME if it is
# one, else the newest JDK in /usr/lib/jvm.
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
