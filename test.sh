#!/usr/bin/env bash
# The test command of the README: builds and runs every test (unit, in-process cluster, real processes, browser).
# Needs the .NET 10 SDK; installs from Debian what the tests drive when it is missing: redis-server (cluster tests),
# postgresql (postgres-mode tests: they run its initdb and pg_ctl, which Debian keeps in /usr/lib/postgresql/VERSION/bin,
# not on PATH), chromium and chromium-driver (the experiments page). Extra arguments go to dotnet test (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v python3 >/dev/null || need+=(python3)
command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet test ExperimentCluster.sln -c Release "$@"
