#!/bin/sh
# Regenerate docs/preview-light.png and docs/preview-dark.png: the preview page of the
# bundled example notes (filtered to one note's section cards: a list, math, a table,
# code), in headless Chromium. Dev tooling only, not needed to build or test:
#
#   apt-get install -y chromium fonts-noto-cjk libjs-mathjax
#   PYTHON=.venv/bin/python tools/screenshots.sh
#
# MathJax comes from Debian's libjs-mathjax so the screenshots need no network;
# set MATHJAX to another MathJax 2/3 URL to use a different build.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
chromium=${CHROMIUM:-chromium}
mathjax=${MATHJAX:-file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML}
query=${QUERY:-tag:notes2anki::inference%20kind:section}
size=${SIZE:-1280,1770}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cd "$tmp"
"$python" -m notes2anki preview --out "$tmp/preview.html" --mathjax "$mathjax" --light >/dev/null
mkdir -p "$here/docs"

for mode in light dark; do
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile-$mode" --hide-scrollbars --virtual-time-budget=10000 \
        --window-size="$size" --screenshot="$here/docs/preview-$mode.png" \
        "file://$tmp/preview.html?q=$query#$mode" 2>/dev/null
    echo "wrote docs/preview-$mode.png"
done
