#!/usr/bin/env bash
# The test suite: builds the solution and runs every test project (one thread per libtorch, see README).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build GradGuessCluster.sln -c Release -nologo -v q
# Tests tagged Category=Large (a minute or more, gigabytes of memory or disk) run only when asked for, as any filter asks:
# ./test.sh --filter Category=Large
filter=(--filter "Category!=Large")
for arg in "$@"; do [[ $arg == --filter || $arg == --filter[=:]* ]] && filter=(); done
# The log is long and CI keeps only its tail, so a failed run ends by repeating each failed test with its message.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
dotnet test GradGuessCluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "${filter[@]}" "$@" \
    | tee "$log" || rc=$?
if ((rc != 0)); then
    echo "=== failed tests (repeated from above) ==="
    grep -a -m 20 -A 15 -E '^\s+Failed [A-Za-z_]' "$log" | cut -c 1-400 || echo "(none named: see the log above)"
fi
exit "$rc"
