#!/usr/bin/env bash
# Benchmark and chaos harness: starts the local stack (as deploy/local/run.sh does; or measures a running one with
# --use-running), runs the baseline (the saga's Elastic calls made directly) and the saga through the REST API,
# checks the invariants against the real Elastic state, cleans up, and writes report.json + report.md.
# Options: deploy/bench/run.sh --help. See bench/README.md for how to read the output.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

for module in cloud-sim connect-service key-service trust-service verify-service; do
  if [ ! -f "$module/target/quarkus-app/quarkus-run.jar" ]; then
    echo "$module is not built: run deploy/local/run.sh --rebuild (or ./mvnw -B install -DskipTests) first" >&2
    exit 2
  fi
done
if [ ! -d bench/target/lib ] || [ ! -d bench/target/classes/io ] || [ "${BENCH_REBUILD:-false}" = true ]; then
  echo "Building the bench module ..."
  ./mvnw -B -q package -DskipTests -pl bench
fi

exec java -Xmx256m -Dcrosslink.root="$root" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "bench/target/classes:bench/target/lib/*" io.crosslink.bench.Bench "$@"
