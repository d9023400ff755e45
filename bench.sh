#!/usr/bin/env bash
# The benchmarks (issue 10): builds what they need, runs them against the in-process Xero sandbox
# and moto, writes bench/results/latest.json and latest.md, and prints the table.
#   ./bench.sh            everything (about 10 minutes on 2 cores)
# Needs Java 17+, Maven and moto_server (pip install "moto[server]"), as the integration tests do.
set -euo pipefail
cd "$(dirname "$0")"

echo "== building the functions (shaded jar, test fixtures) and the benchmark"
mvn -B -q -Pbench -pl bench -am package -DskipTests

cp="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java -XX:+UseSerialGC -Xmx2g -Dbench.repo="$PWD" \
  -Dbench.lambdaCore="$(cat bench/target/lambda-core-classpath.txt)" \
  -cp "$cp" org.lrm.xero.bench.Bench "$@"
