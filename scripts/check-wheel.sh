#!/usr/bin/env bash
# Build the wheel, install it in a fresh venv and answer the founding question from /tmp:
# proves the wheel carries ontology/, shapes/ and queries/ and works from any directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip wheel -q --no-deps -w "$work/dist" "$root"
wheel=$(ls "$work"/dist/neurokg-*.whl)
listing=$(python3 -m zipfile -l "$wheel")
for kind in ontology shapes queries; do
  grep -q "neurokg/_data/$kind/" <<<"$listing" || { echo "wheel lacks $kind/" >&2; exit 1; }
done
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$wheel"
cd /tmp
out=$("$work/venv/bin/neurokg" -q ask blepharospasm "multiple sclerosis")
echo "$out" | head -3
echo "$out" | grep -q "^Answer: REPORTED, VERY UNCERTAIN (certainty: very low)" \
  || { echo "the installed wheel did not give the founding answer" >&2; exit 1; }
echo "$out" | grep -q "2 of 733" || { echo "the installed wheel lost the 2-of-733 count" >&2; exit 1; }
echo "wheel-check: ok ($(basename "$wheel"))"
