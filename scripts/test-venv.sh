#!/usr/bin/env bash
# The Python the tests use, in target/test-venv: schemathesis (API fuzzing) and
# feedparser (the news feeds' test), georeport and jsonschema (the Open311 test), pinned, from PyPI. Prints the interpreter's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/test-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2 || { apt-get install -y -qq python3-venv >&2 && python3 -m venv "$venv" >&2; }
fi
if ! "$venv/bin/python" -c 'import schemathesis, feedparser, georeport, jsonschema, rfc3339_validator' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5 feedparser==6.0.11 georeport==0.3.1 jsonschema==4.26.0 rfc3339-validator==0.1.4 >&2
fi
echo "$venv/bin/python"
