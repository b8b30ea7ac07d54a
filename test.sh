#!/usr/bin/env bash
# The test suite: builds the solution and runs every test project (one thread per libtorch, see README).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build GradGuessCluster.sln -c Release -nologo -v q
# Tests tagged Category=Large (a minute or more, gigabytes of memory or disk) run only when asked for, as any filter asks:
# ./test.sh --filter Category=Large
filter=(--filter "Category!=Large")
for arg in "$@"; do [[ $arg == --filter || $arg == --filter[=:]* ]] && filter=(); done
dotnet test GradGuessCluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "${filter[@]}" "$@"
