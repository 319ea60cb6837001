#!/usr/bin/env bash
# Builds the Debian package: dist/hipaa-synth_<version>_amd64.deb (CPack DEB, CMakeLists.txt).
#   scripts/package.sh                      # configure and build build-package/ (Release, /usr), then package
#   scripts/package.sh --build-dir DIR      # package an existing build instead
#   scripts/package.sh --out DIR            # write the .deb to DIR instead of dist/
# Prints the path of the package.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=""
out_dir=dist
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out_dir=$2; shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
if [[ -z "$build_dir" ]]; then
  scripts/setup.sh >&2
  build_dir=build-package
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
        -DHIPAA_SYNTH_BUILD_TESTS=OFF "${launcher[@]}" >&2
  cmake --build "$build_dir" --parallel "$(nproc)" >&2
fi
mkdir -p "$out_dir"
staging=$(mktemp -d "${TMPDIR:-/tmp}/hipaa-synth-package.XXXXXX")
trap 'rm -rf "$staging"' EXIT
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$staging" >"$staging/cpack.log" 2>&1 || {
  cat "$staging/cpack.log" >&2
  exit 1
}
deb=$(find "$staging" -maxdepth 1 -name 'hipaa-synth_*.deb' -print -quit)
[[ -n "$deb" ]] || { echo "package: cpack made no .deb" >&2; cat "$staging/cpack.log" >&2; exit 1; }
mv "$deb" "$out_dir/"
echo "$out_dir/$(basename "$deb")"
