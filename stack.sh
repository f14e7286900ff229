#!/usr/bin/env bash
# The local stack.
#   ./stack.sh [--data <folder>] [--kafka-brokers 3] [--port-offset <n>]
#                                  builds what is needed and starts a Kafka broker (or a cluster of three), a
#                                  MongoDB-wire store and every service on 127.0.0.1, data under .stillpoint/ (or
#                                  <folder>); --port-offset moves every port by n, for a second stack beside
#                                  the first; Ctrl-C stops everything
#   ./stack.sh topic <name>        prints every record of a topic, with its CloudEvents headers (Apache Kafka's console
#                                  consumer, from the beginning; Ctrl-C to stop)
set -euo pipefail
cd "$(dirname "$0")"
source ./jdk.sh

LAUNCHER_CP="local-stack/target/local-stack.jar:local-stack/target/lib/*"
JAVA_OPTS=(-Xmx256m -Dlogback.configurationFile=stillpoint-launcher-logback.xml)

if [ "${1:-}" = "topic" ]; then
  [ -n "${2:-}" ] || { echo "usage: ./stack.sh topic <name>" >&2; exit 2; }
  [ -f local-stack/target/local-stack.jar ] || ./mvnw -B -q -DskipTests package -pl local-stack -am
  exec "$JAVA_HOME/bin/java" "${JAVA_OPTS[@]}" -cp "$LAUNCHER_CP" org.apache.kafka.tools.consumer.ConsoleConsumer \
       --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}" --topic "$2" --from-beginning \
       --property print.key=true --property print.headers=true --property print.timestamp=true
fi

./mvnw -B -q -DskipTests package -pl local-stack,consent-service,session-service,referral-service,audit-service,delivery-service,directory-service,gateway -am
exec "$JAVA_HOME/bin/java" "${JAVA_OPTS[@]}" -cp "$LAUNCHER_CP" org.stillpoint.localstack.LocalStackMain --root . "$@"
