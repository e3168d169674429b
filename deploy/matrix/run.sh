#!/usr/bin/env bash
# The Elasticsearch version matrix (#16): the e2e's VersionMatrixTest (API-key happy path, certificate-model happy
# path, one compensation path) and StrongIdentityTest (9.3+ strong identity: right signer, wrong signer; a pair
# before 9.3 is rejected) on three stacks, then the table local version × remote version × scenario × result ×
# seconds. The versions are infra/elasticsearch's list (oldest, default, newest); each stack runs three of its pairs:
#   oldest/oldest/default  → oldest → oldest, default → oldest, oldest → default
#   default everywhere     → default → default
#   newest/newest/default  → newest → newest, default → newest, newest → default
# Also one node per version with the strong-identity probe (infra/launcher's ElasticsearchMatrixTest).
# Options: --only oldest|default|newest (one stack), --no-probe. About 15-20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
stacks=(oldest default newest)
probe=true
while [ $# -gt 0 ]; do
  case "$1" in
    --only) stacks=("$2"); shift 2 ;;
    --no-probe) probe=false; shift ;;
    -h|--help) sed -n 2,9p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Everything the stacks start must be built and installed for -pl e2e (first run: a few minutes).
missing=false
for module in cloud-sim connect-service key-service trust-service verify-service; do
  [ -f "$module/target/quarkus-app/quarkus-run.jar" ] || missing=true
done
[ -f infra/elasticsearch/target/elasticsearch-versions.properties ] || missing=true
if $missing || [ "${MATRIX_REBUILD:-false}" = true ]; then
  echo "Building Crosslink and every Elasticsearch version of the matrix (first run: a few minutes) ..."
  ./mvnw -B -q install -DskipTests
fi

results=e2e/target/version-matrix/results.tsv
rm -f "$results"
declare -A status
for stack in "${stacks[@]}"; do
  case "$stack" in
    oldest) versions=(oldest oldest default) ;;
    default) versions=(default default default) ;;
    newest) versions=(newest newest default) ;;
    *) echo "--only takes oldest, default or newest" >&2; exit 2 ;;
  esac
  echo "=== stack $stack: local ${versions[0]}, remote ${versions[1]}, peer ${versions[2]} ==="
  set +e
  ./mvnw -B -o verify -pl e2e -Dtest=VersionMatrixTest,StrongIdentityTest -Dsurefire.failIfNoSpecifiedTests=false \
    -De2e.matrix.local="${versions[0]}" -De2e.matrix.remote="${versions[1]}" -De2e.matrix.peer="${versions[2]}" \
    > "e2e/target/version-matrix-$stack.log" 2>&1
  status[$stack]=$?
  set -e
  echo "stack $stack: exit ${status[$stack]} (log e2e/target/version-matrix-$stack.log)"
done

if $probe; then
  echo "=== one node per version: real version, Java, strong-identity probe ==="
  set +e
  ./mvnw -B -o verify -pl infra/launcher -Dtest=ElasticsearchMatrixTest -Dcrosslink.es-matrix.test=true \
    > infra/launcher/target/es-matrix.log 2>&1
  status[probe]=$?
  set -e
  grep -h "^matrix: \|^probe " infra/launcher/target/es-matrix.log || true
fi

echo
echo "| local | remote | pair | scenario | result | seconds |"
echo "|---|---|---|---|---|---:|"
if [ -f "$results" ]; then
  sort -t $'\t' -k1,1V -k2,2V -k4,4 "$results" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}'
fi
failed=0
for stack in "${!status[@]}"; do
  [ "${status[$stack]}" -eq 0 ] || { echo "$stack: FAILED (exit ${status[$stack]})"; failed=1; }
done
[ -f "$results" ] && grep -q $'\tFAIL\t' "$results" && failed=1
exit $failed
