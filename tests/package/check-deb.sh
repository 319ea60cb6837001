#!/usr/bin/env bash
# The Debian package as a user gets it: built by scripts/package.sh from BUILD_DIR, installed with
# `apt-get install ./hipaa-synth_<version>_amd64.deb`, used (the command, its man page, an example
# and an `init` project built against /usr with no build tree on any search path), and removed
# again, leaving none of its files.
#   tests/package/check-deb.sh SOURCE_DIR BUILD_DIR
# Installing a package needs root (or sudo). Without it the check is skipped (exit 77), except
# under CI=true, where it fails. It refuses to run where hipaa-synth is already installed as a
# package, so it never removes a user's own installation.
set -euo pipefail
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/hipaa-synth-deb.XXXXXX")
installed=0
as_root=()
cleanup() {
  if ((installed)); then "${as_root[@]}" apt-get remove -y -qq hipaa-synth >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "check-deb: FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  elif [[ "${CI:-}" == true ]]; then
    fail "installing the package needs root or password-less sudo"
  else
    echo "check-deb: skipped: installing the package needs root or password-less sudo"
    exit 77
  fi
fi
if dpkg-query -W -f='${Status}' hipaa-synth 2>/dev/null | grep -q "install ok installed"; then
  fail "hipaa-synth is already installed as a package here; remove it first (this check installs and removes its own)"
fi

step "scripts/package.sh --build-dir $build_dir"
deb=$("$source_dir/scripts/package.sh" --build-dir "$build_dir" --out "$work/dist")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
[[ "$(basename "$deb")" == "hipaa-synth_${version}_amd64.deb" ]] || fail "package named $(basename "$deb")"

step "contents and dependencies"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/hipaa-synth ./usr/include/hipaa/synth.hpp ./usr/include/hipaa/aws/ec2.hpp \
            ./usr/share/man/man1/hipaa-synth.1 ./usr/share/bash-completion/completions/hipaa-synth \
            ./usr/share/zsh/vendor-completions/_hipaa-synth; do
  grep -qx -- "$path" <<<"$contents" || fail "$path is not in the package"
done
for pattern in '/libhipaa_synth\.a$' '/libhipaa_synth_cli\.a$' '/cmake/hipaa_synth/hipaa_synthConfig\.cmake$' \
               '/pkgconfig/hipaa_synth\.pc$'; do
  grep -q -- "$pattern" <<<"$contents" || fail "no file matching $pattern in the package"
done
depends=$(dpkg-deb -f "$deb" Depends)
depend_names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//')
for package in libfmt-dev libyaml-cpp-dev libc6 libstdc++6 libyaml-cpp0.7; do
  grep -Fqx -- "$package" <<<"$depend_names" || fail "Depends has no $package: $depends"
done

step "apt-get install ./$(basename "$deb")"
cp "$deb" "$work/"  # apt reads a local file by a path with a slash
(cd "$work" && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "./$(basename "$deb")" \
  >"$work/install.log" 2>&1) || { cat "$work/install.log" >&2; fail "apt-get install"; }
installed=1
files=$(dpkg-query -L hipaa-synth)

step "the command and its man page"
[[ "$(command -v hipaa-synth)" == /usr/bin/hipaa-synth ]] || fail "hipaa-synth on PATH is $(command -v hipaa-synth)"
[[ "$(/usr/bin/hipaa-synth --version)" == "hipaa-synth $version" ]] || fail "--version: $(/usr/bin/hipaa-synth --version)"
man_text=$(MANPAGER=cat MANWIDTH=100 man hipaa-synth 2>&1) || fail "man hipaa-synth: $man_text"
grep -q "hipaa-synth init" <<<"$man_text" || fail "man hipaa-synth does not describe init"
/usr/bin/hipaa-synth --target cfn >"$work/stack.yaml" || fail "hipaa-synth --target cfn"
grep -q "AWSTemplateFormatVersion" "$work/stack.yaml" || fail "no template printed"

# A consumer finds the package in /usr by itself: no CMAKE_PREFIX_PATH, no build tree.
unset CMAKE_PREFIX_PATH PKG_CONFIG_PATH
step "an example built against the installed package"
cmake -S "$source_dir/examples/custom-stack" -B "$work/custom-stack" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configuring examples/custom-stack"; }
grep -q "hipaa_synth_DIR:PATH=/usr/" "$work/custom-stack/CMakeCache.txt" ||
  fail "find_package found $(grep hipaa_synth_DIR "$work/custom-stack/CMakeCache.txt"), not the package's"
cmake --build "$work/custom-stack" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "building examples/custom-stack"; }
"$work/custom-stack/custom-stack" | grep -q '"aws_subnet"' || fail "custom-stack printed no Terraform subnet"

step "hipaa-synth init, built against the installed package"
/usr/bin/hipaa-synth init "$work/audit-stack" >/dev/null
cmake -S "$work/audit-stack" -B "$work/audit-stack/build" -G Ninja >"$work/init.log" 2>&1 &&
  cmake --build "$work/audit-stack/build" >>"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; fail "building the init project"; }
"$work/audit-stack/build/audit-stack" --target tf -o "$work/audit-out" >/dev/null || fail "the init project's synth"
[[ -f "$work/audit-out/Audit/main.tf.json" ]] || fail "the init project wrote no Audit/main.tf.json"
# pkg-config leaves out /usr/include and /usr/lib, the system's own directories.
[[ "$(pkg-config --modversion hipaa_synth)" == "$version" ]] || fail "pkg-config --modversion: $(pkg-config --modversion hipaa_synth)"
pkg-config --libs hipaa_synth | grep -q -- "-lhipaa_synth" || fail "pkg-config --libs: $(pkg-config --libs hipaa_synth)"

step "apt-get remove hipaa-synth"
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get remove -y -qq hipaa-synth >"$work/remove.log" 2>&1 ||
  { cat "$work/remove.log" >&2; fail "apt-get remove"; }
installed=0
while IFS= read -r path; do
  [[ -f "$path" || -L "$path" ]] && fail "$path is still there after removal"
done <<<"$files"
! dpkg-query -W -f='${Status}' hipaa-synth 2>/dev/null | grep -q "install ok installed" || fail "still installed"
echo "check-deb: ok ($(basename "$deb"): installed, used and removed)"
