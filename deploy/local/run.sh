#!/usr/bin/env bash
# Starts the whole Crosslink stack locally: Kafka, PostgreSQL, cloud-sim with real Elasticsearch demo
# deployments, and the services. Ctrl-C stops everything. Options: --clean (forget all local state),
# --rebuild (build even when the artifacts exist).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

rebuild=false
args=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=true ;;
    *) args+=("$arg") ;;
  esac
done

if $rebuild || [ ! -f cloud-sim/target/quarkus-app/quarkus-run.jar ] || [ ! -d deploy/target/lib ] \
   || [ ! -d infra/kafka-broker/target/broker-lib ] || ! ls -d infra/elasticsearch/target/elasticsearch-* >/dev/null 2>&1; then
  echo "Building Crosslink (first run: a few minutes) ..."
  ./mvnw -B -q install -DskipTests
fi

exec java -Xmx128m -Dcrosslink.root="$root" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/classes:deploy/target/lib/*" io.crosslink.deploy.LocalStack ${args[@]+"${args[@]}"}
