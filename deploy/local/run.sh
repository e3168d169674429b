#!/usr/bin/env bash
# Starts the whole Crosslink stack locally: Kafka, PostgreSQL, cloud-sim with real Elasticsearch demo
# deployments, and the four services (with a data key generated for this run). Ctrl-C stops everything.
# Options: --clean (forget all local state), --rebuild (build even when the artifacts exist),
# --no-services (everything but the four services, e.g. to run one of them in dev mode against the stack).
# ELASTICSEARCH_VERSION=9.5.4 (one of infra/elasticsearch's versions): every node on that version; --clean when the
# nodes ran another major before (their data is not readable across majors).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

rebuild=false
services=true
args=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=true ;;
    --no-services) services=false; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

# Everything run.sh starts must be built: the launcher's classpath (with the events jar it needs), the
# broker's classpath, Elasticsearch, cloud-sim and the four services.
missing() {
  [ ! -f cloud-sim/target/quarkus-app/quarkus-run.jar ] && return 0
  if $services; then
    for service in connect-service key-service trust-service verify-service; do
      [ ! -f "$service/target/quarkus-app/quarkus-run.jar" ] && return 0
    done
  fi
  ! ls deploy/target/lib/crosslink-events-*.jar >/dev/null 2>&1 && return 0
  [ ! -d infra/kafka-broker/target/broker-lib ] && return 0
  ! ls -d infra/elasticsearch/target/elasticsearch-* >/dev/null 2>&1 && return 0
  return 1
}

if $rebuild || missing; then
  echo "Building Crosslink (first run: a few minutes) ..."
  ./mvnw -B -q install -DskipTests -Des.matrix.skip   # the default Elasticsearch version only
fi
# Another version for every node (ELASTICSEARCH_VERSION=9.5.4, e.g. for strong identity): the matrix's versions.
if [ -n "${ELASTICSEARCH_VERSION:-}" ] && [ ! -d "infra/elasticsearch/target/elasticsearch-$ELASTICSEARCH_VERSION" ]; then
  echo "Building Elasticsearch $ELASTICSEARCH_VERSION (infra/elasticsearch's version list) ..."
  ./mvnw -B -q install -DskipTests -pl infra/elasticsearch
fi

exec java -Xmx128m -Dcrosslink.root="$root" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/classes:deploy/target/lib/*" io.crosslink.deploy.LocalStack ${args[@]+"${args[@]}"}
