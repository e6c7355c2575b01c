#!/usr/bin/env bash
# Issue 11, point 6, for a person to watch: three `fleet serve` nodes on loopback with PostgreSQL and Mosquitto
# (Debian's, started as in CI), 1,000 simulated devices from a separate `fleet devices simulate` process, a staged
# rollout, `kill -9` of the node hosting the most sagas in the middle of the second wave, the checks, then the node's
# restart. The steps and their checks are one piece of code, the CI test
# tests/FleetOrchestrator.Cluster.Tests/NodeKillTests.cs; this script runs it and prints its timeline.
# Needs the Debian packages mosquitto and postgresql (tests/run-all.sh installs them) and root (PostgreSQL runs as
# the `postgres` user).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/FleetOrchestrator.Cluster.Tests -c Release -v quiet -nologo
exec dotnet test tests/FleetOrchestrator.Cluster.Tests -c Release --no-build \
  --filter "FullyQualifiedName~NodeKillTests|FullyQualifiedName~ClusterMembershipTests" \
  --logger "console;verbosity=detailed" "$@"
