#!/usr/bin/env bash
# Measures every path against its raw baseline on the embedded backends, and the local stack's memory, and writes
# docs/benchmarks.md, .svg and .json.   ./bench.sh [--scale full|smoke] [--out <folder>] [--only storage,kafka,service,stack] [--port-offset <n>]
set -euo pipefail
cd "$(dirname "$0")"
source ./jdk.sh

# the memory rows start the local stack: its services are built too
./mvnw -B -q -DskipTests package -pl bench,session-service,referral-service,delivery-service,directory-service,gateway -am
exec "$JAVA_HOME/bin/java" -Xmx2g -Dlogback.configurationFile=stillpoint-launcher-logback.xml \
     -cp "bench/target/bench.jar:bench/target/lib/*" org.stillpoint.bench.Bench "$@"
