#!/usr/bin/env bash
# The test suite: builds the solution and runs every test project (one thread per libtorch, see README).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build GradGuessCluster.sln -c Release -nologo -v q
dotnet test GradGuessCluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
