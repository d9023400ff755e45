#!/usr/bin/env bash
# Runs the whole integration locally: moto (AWS), the Xero sandbox and every function behind a
# local API gateway, SQS event sources and schedules. ./local.sh --help for the options.
set -euo pipefail
cd "$(dirname "$0")"

# Build only when a source or POM changed since the last build (or nothing was built yet).
stamp=local/target/classpath.txt
if [[ ! -f $stamp ]] || [[ -n $(find pom.xml ./*/pom.xml ./*/src infra/template.yaml -newer "$stamp" -type f -print -quit) ]]; then
  echo "building (mvn -B -q -DskipTests package -pl local -am) ..." >&2
  mvn -B -q -ntp -DskipTests package -pl local -am >&2
  touch "$stamp"
fi

exec java -cp "local/target/classes:$(cat "$stamp")" org.lrm.xero.local.LocalRun "$@"
