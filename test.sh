#!/usr/bin/env bash
# The test command of the README: builds and runs every test (unit, in-process cluster, real processes).
# Needs only the .NET 10 SDK; extra arguments go to dotnet test (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The experiments page's tests drive Debian's Chromium through its matching chromedriver (nothing is downloaded at test time).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
dotnet test ExperimentCluster.sln -c Release "$@"
