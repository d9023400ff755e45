#!/usr/bin/env bash
# The benchmarks: builds what they need, runs them against the in-process Xero sandbox
# and moto, writes bench/results/latest.json and latest.md, and prints the table.
#   ./bench.sh            everything; ./bench.sh --only=resync,coldstart some; --quick small sizes
#   BENCH_FUNCTIONS=LearnerApiFunction,... ./bench.sh --only=coldstart   the cold starts of some functions
#   BENCH_JAVA_OPTS=-Dbench.orgs.parts=polling ./bench.sh --only=orgs   the many organisations' polls alone
#   --readme   a partial run's table replaces the README's (a full run's always does)
# Needs Java 17+, Maven and moto_server (pip install "moto[server]"), as the integration tests do;
# the SnapStart cold starts need CRIU, which bench/criu.sh builds once (Linux, root).
set -euo pipefail
cd "$(dirname "$0")"

echo "== building the functions (shaded jar, test fixtures) and the benchmark"
mvn -B -q -Pbench -pl bench -am package -DskipTests

echo "== CRIU for the SnapStart restores (bench/criu.sh)"
criu="$(bench/criu.sh | tail -1)"

cp="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java -XX:+UseSerialGC -Xmx2g ${BENCH_JAVA_OPTS:-} -Dbench.repo="$PWD" -Dbench.criu="$criu" -Dbench.functions="${BENCH_FUNCTIONS:-}" \
  -Dbench.lambdaCore="$(cat bench/target/lambda-core-classpath.txt)" \
  -cp "$cp" org.lrm.xero.bench.Bench "$@"
