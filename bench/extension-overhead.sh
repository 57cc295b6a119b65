#!/usr/bin/env bash
# The leak check's cost per test: 200 clean loopback tests with and without @NoSocketLeaks, in one JVM.
# Usage: bench/extension-overhead.sh   (builds the benchmarks module with the Maven Wrapper)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -pl benchmarks -am package -DskipTests
# Native access lets JDK 22+ read netlink; JDK 17 accepts the option and reads /proc.
"$java" --enable-native-access=ALL-UNNAMED -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.github.sockleak.benchmarks.ExtensionOverhead
