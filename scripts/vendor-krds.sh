#!/usr/bin/env bash
# Copies the parts of the KRDS design system (npm package krds-uiux) that sotong embeds
# into crates/web/assets/krds/, with licence texts. Run by hand when upgrading KRDS;
# the result is committed so that building sotong needs no network.
set -euo pipefail
KRDS_VERSION=1.1.0
PRETENDARD_VERSION=1.3.9   # only for its OFL licence text, which krds-uiux does not ship
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/crates/web/assets/krds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "krds-uiux@$KRDS_VERSION" >/dev/null
npm pack --silent "pretendard@$PRETENDARD_VERSION" >/dev/null
mkdir krds pretendard
tar xzf krds-uiux-*.tgz -C krds
tar xzf pretendard-*.tgz -C pretendard
src=krds/package/resources
rm -rf "$out" && mkdir -p "$out/css" "$out/fonts" "$out/img"
cp "$src/css/token/krds_tokens.css" "$out/css/"
# common.css imports the tokens by a relative path; we link the tokens ourselves.
grep -v '^@import' "$src/css/common/common.css" | sed 's#url(../../img/#url(../img/#g' > "$out/css/common.css"
grep -o 'url(../img/[^)]*)' "$out/css/common.css" | sed 's#url(../img/##; s#)##' | sort -u |
  while read -r f; do mkdir -p "$out/img/$(dirname "$f")"; cp "$src/img/$f" "$out/img/$f"; done
# The components sotong's page chrome uses (official banner, breadcrumbs, footer), not
# the whole 540 KB component stylesheet.
python3 "$root/scripts/krds-components.py" "$src/css/component/component.css" "$out/css/components.css" \
    '#krds-masthead' '.krds-breadcrumb-wrap' '#krds-footer' |
  while read -r f; do mkdir -p "$out/img/$(dirname "$f")"; cp "$src/img/$f" "$out/img/$f"; done
cp "$src"/fonts/PretendardGOV-*.subset.woff2 "$out/fonts/"
cp pretendard/package/LICENSE* "$out/fonts/LICENSE-PretendardGOV-OFL.txt" 2>/dev/null ||
  cp pretendard/package/*/LICENSE* "$out/fonts/LICENSE-PretendardGOV-OFL.txt"
cat > "$out/LICENSE-krds-uiux.txt" <<TXT
krds-uiux $KRDS_VERSION (KRDS, Korea Responsive Design System), npm package "krds-uiux".
Its package.json declares the licence "ISC"; the package ships no licence file, so the
ISC licence text is reproduced here.

ISC License

Copyright (c) krds

Permission to use, copy, modify, and/or distribute this software for any purpose with or
without fee is hereby granted, provided that the above copyright notice and this
permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO
THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO
EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL
DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN
AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
TXT
echo "KRDS $KRDS_VERSION copied to $out"
