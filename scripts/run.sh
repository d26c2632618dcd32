#!/usr/bin/env bash
# Sets up the machine (idempotent), builds the jar, and starts the agent with its embedded
# defaults: Prometheus endpoint on 127.0.0.1:9464, events as JSON lines on stdout.
# Extra arguments go to `gopherlens agent` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f collector/target/gopherlens.jar ] || [ -n "$(find native collector/src CMakeLists.txt pom.xml collector/pom.xml -newer collector/target/gopherlens.jar -type f -print -quit)" ]; then
  mvn -B -ntp -q package -DskipTests
fi
exec java -jar collector/target/gopherlens.jar agent "$@"
