#!/usr/bin/env bash
# The test command of the README: builds and runs every test (unit, in-process cluster, real processes).
# Needs the .NET 10 SDK; the cluster tests also need redis-server (the Debian package), installed here if missing.
# Extra arguments go to dotnet test (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v redis-server >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server >/dev/null
fi
dotnet test ExperimentCluster.sln -c Release "$@"
