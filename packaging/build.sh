#!/usr/bin/env bash
# Build the one-folder bundle into dist/spine-atlas/ and prove it works: --version, then the
# self-test offscreen (and on Xvfb when it is installed) with an empty cache, so the first start
# adopts the index shipped in the bundle, then a two-process index build of a generated folder.
# Exits non-zero if the build or any check fails.
#
#     packaging/build.sh            (uses the python3 / pyinstaller on PATH, e.g. an activated venv)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
BUNDLE=dist/spine-atlas
EXE="$BUNDLE/spine-atlas"

"$PYTHON" -m PyInstaller --version >/dev/null
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN build.spec
echo "build: $(( $(date +%s) - start )) s"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Run the bundle with throw-away config and cache folders, and no display unless one is given.
run_bundle() {
    env -u WAYLAND_DISPLAY \
        SPINE_ATLAS_CONFIG_DIR="$scratch/config" SPINE_ATLAS_CACHE_DIR="$scratch/cache-$1" \
        "${@:2}"
}

version="$(run_bundle version env -u DISPLAY "$EXE" --version)"
echo "frozen --version: $version"
[[ "$version" == "Spine Atlas "* ]]

echo "frozen self-test (offscreen, empty cache):"
run_bundle offscreen env -u DISPLAY QT_QPA_PLATFORM=offscreen "$EXE" --self-test

if command -v xvfb-run >/dev/null 2>&1; then
    echo "frozen self-test (xcb on Xvfb, empty cache):"
    run_bundle xcb xvfb-run -a -s "-screen 0 1280x1024x24" \
        env QT_QPA_PLATFORM=xcb "$EXE" --self-test
else
    echo "xvfb-run not installed: the xcb platform plugin was not exercised"
fi

# A folder of 1,000 articles is indexed on two processes: the helper is this binary again
# (multiprocessing "spawn"), which must start and write its part in the frozen app too.
echo "frozen index build on two processes (1,000 generated articles):"
"$PYTHON" bench/gen_corpus.py --articles 1000 --seed 3 "$scratch/folder" >/dev/null
run_bundle index env -u DISPLAY "$EXE" index --content "$scratch/folder" --index-dir "$scratch/ix"
hits="$(run_bundle index env -u DISPLAY "$EXE" search --content "$scratch/folder" \
    --index-dir "$scratch/ix" --json manipulation)"
[[ "$hits" == *'"total": '[1-9]* ]] || { echo "no hits from the frozen two-process index" >&2; exit 1; }
echo "  indexed and searched: ${hits:0:60}…"

echo "bundle: $(du -sh "$BUNDLE" | cut -f1) in $BUNDLE ($(find "$BUNDLE" -type f | wc -l) files)"
