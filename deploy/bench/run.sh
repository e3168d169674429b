#!/usr/bin/env bash
# Benchmark and chaos harness: starts the local stack (as deploy/local/run.sh does; or measures a running one with
# --use-running), runs the baseline (the saga's Elastic calls made directly) and the saga through the REST API,
# checks the invariants against the real Elastic state, cleans up, and writes report.json + report.md.
# Options: deploy/bench/run.sh --help. See bench/README.md for how to read the output.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

# Everything the harness starts must be built (first run on a fresh clone: a few minutes, as deploy/local/run.sh).
missing=false
for module in cloud-sim connect-service key-service trust-service verify-service; do
  [ -f "$module/target/quarkus-app/quarkus-run.jar" ] || missing=true
done
[ -d bench/target/lib ] && [ -d bench/target/classes/io ] && [ -d infra/kafka-broker/target/broker-lib ] || missing=true
if $missing || [ "${BENCH_REBUILD:-false}" = true ]; then
  echo "Building Crosslink and the bench module (first run: a few minutes) ..."
  ./mvnw -B -q install -DskipTests -Des.matrix.skip   # the default Elasticsearch version only
fi

exec java -Xmx256m -Dcrosslink.root="$root" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "bench/target/classes:bench/target/lib/*" io.crosslink.bench.Bench "$@"
