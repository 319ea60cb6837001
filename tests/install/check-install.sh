#!/usr/bin/env bash
# Installs a hipaa-synth build to a temporary prefix and uses it as a consumer would:
#   - a CMake project (consumer/) through find_package(hipaa_synth CONFIG REQUIRED),
#   - the same main.cpp compiled with g++ and the flags pkg-config gives for hipaa_synth,
# both run and checked for CloudFormation and Terraform output; and checks the installed
# command line, man page and bash completion.
#
#   tests/install/check-install.sh BUILD_DIR
#
# Everything it writes is under one mktemp directory, removed on exit, so it can run beside other
# tests (ctest -j).
set -euo pipefail

if (( $# != 1 )); then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/hipaa-synth-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

step() { echo "== $*"; }
fail() {
  echo "check-install: FAIL: $*" >&2
  exit 1
}

# The compiler the build used, for the CMake consumer.
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

step "install $build_dir to $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" || {
  cat "$work/install.log" >&2
  fail "cmake --install"
}

step "installed files"
[[ -f "$prefix/include/hipaa/synth.hpp" ]] || fail "public headers not installed"
[[ -f "$prefix/include/hipaa/aws/ec2.hpp" ]] || fail "public headers under aws/ not installed"
find "$prefix/include" -type f ! -name '*.hpp' | grep -q . && fail "non-header files under include/"
libdir=$(dirname "$(find "$prefix" -name 'libhipaa_synth.*' -print -quit)")
[[ -d "$libdir" && "$libdir" != "." ]] || fail "libhipaa_synth not installed"
ls "$libdir"/libhipaa_synth_cli.* >/dev/null 2>&1 || fail "libhipaa_synth_cli not installed"
package_dir="$libdir/cmake/hipaa_synth"
for f in hipaa_synthConfig.cmake hipaa_synthConfigVersion.cmake hipaa_synthTargets.cmake; do
  [[ -f "$package_dir/$f" ]] || fail "$package_dir/$f not installed"
done
# SameMajorVersion: a request for the installed major version is satisfied, one for another major
# version is not.
cat >"$work/version-check.cmake" <<'EOF_CMAKE'
include("${VERSION_FILE}")
string(REGEX MATCH "^[0-9]+" major "${PACKAGE_VERSION}")
foreach(request IN ITEMS "${major}.0" "${major}.0.0")
  unset(PACKAGE_VERSION_COMPATIBLE)
  set(PACKAGE_FIND_VERSION "${request}")
  set(PACKAGE_FIND_VERSION_MAJOR "${major}")
  include("${VERSION_FILE}")
  if(NOT PACKAGE_VERSION_COMPATIBLE)
    message(FATAL_ERROR "${PACKAGE_VERSION} does not satisfy a request for ${request}")
  endif()
endforeach()
math(EXPR next "${major} + 1")
math(EXPR previous "${major} - 1")
set(others "${next}")
if(previous GREATER_EQUAL 0)  # an older major distinguishes it from AnyNewerVersion
  list(APPEND others "${previous}")
endif()
foreach(other IN LISTS others)
  set(PACKAGE_FIND_VERSION "${other}.0")
  set(PACKAGE_FIND_VERSION_MAJOR "${other}")
  include("${VERSION_FILE}")
  if(PACKAGE_VERSION_COMPATIBLE)
    message(FATAL_ERROR "${PACKAGE_VERSION} satisfies a request for ${other}.0")
  endif()
endforeach()
EOF_CMAKE
cmake -DVERSION_FILE="$package_dir/hipaa_synthConfigVersion.cmake" -P "$work/version-check.cmake" ||
  fail "the package version file is not SameMajorVersion"
for target in hipaa_synth::hipaa_synth hipaa_synth::cli; do
  grep -q "add_library($target " "$package_dir/hipaa_synthTargets.cmake" || fail "$target not exported"
done
# Header-only dependencies are private: nothing exported may need them.
if grep -n 'nlohmann\|CLI11' "$package_dir"/hipaa_synthTargets*.cmake; then
  fail "the exported targets refer to a private header-only dependency"
fi
[[ -x "$prefix/bin/hipaa-synth" ]] || fail "bin/hipaa-synth not installed"
man_page="$prefix/share/man/man1/hipaa-synth.1"
[[ -f "$man_page" ]] || fail "man page not installed at share/man/man1"
completion="$prefix/share/bash-completion/completions/hipaa-synth"
[[ -f "$completion" ]] || fail "bash completion not installed at share/bash-completion/completions"

step "hipaa-synth --version"
version_output=$("$prefix/bin/hipaa-synth" --version) || fail "hipaa-synth --version exited $?"
echo "$version_output"
[[ "$version_output" =~ ^hipaa-synth\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "unexpected --version output"

step "man page and completion"
if command -v groff >/dev/null 2>&1; then
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man_page" 2>&1) || fail "groff: $warnings"
  [[ -z "$warnings" ]] || fail "groff warnings: $warnings"
fi
grep -q '^\.TH HIPAA-SYNTH 1' "$man_page" || fail "man page has no .TH HIPAA-SYNTH 1 header"
bash -n "$completion" || fail "completion script does not parse"
# shellcheck disable=SC2016
completed=$(bash -c 'source "$1"
  COMP_WORDS=(hipaa-synth --target ""); COMP_CWORD=2; _hipaa_synth; echo "${COMPREPLY[*]}"' _ "$completion")
[[ "$completed" == "cfn tf" ]] || fail "completion of --target gave '$completed'"

check_output() {  # NAME FILE
  grep -q 'AWS::EC2::VPC' "$2" || fail "$1: no AWS::EC2::VPC in its output"
  grep -q 'aws_vpc' "$2" || fail "$1: no aws_vpc in its output"
}

step "CMake consumer (find_package)"
cmake -S "$here/consumer" -B "$work/consumer" "${generator[@]}" \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/consumer-configure.log" || {
  cat "$work/consumer-configure.log" >&2
  fail "configuring the consumer"
}
found_dir=$(sed -n 's/^hipaa_synth_DIR:PATH=//p' "$work/consumer/CMakeCache.txt")
[[ "$found_dir" == "$prefix"/* ]] || fail "find_package found hipaa_synth at $found_dir, not in $prefix"
cmake --build "$work/consumer" >"$work/consumer-build.log" 2>&1 || {
  cat "$work/consumer-build.log" >&2
  fail "building the consumer"
}
"$work/consumer/consumer" >"$work/consumer.out" || fail "the CMake consumer exited $?"
check_output "CMake consumer" "$work/consumer.out"

step "pkg-config consumer"
command -v pkg-config >/dev/null 2>&1 || fail "pkg-config is not installed (scripts/setup.sh installs it)"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc_prefix=$(pkg-config --variable=prefix hipaa_synth) || fail "pkg-config does not find hipaa_synth"
[[ "$pc_prefix" == "$prefix" ]] || fail "hipaa_synth.pc has prefix $pc_prefix, installed to $prefix"
read -r -a flags <<<"$(pkg-config --cflags --libs hipaa_synth)"
echo "pkg-config --cflags --libs hipaa_synth: ${flags[*]}"
pc_cxx=g++
command -v "$pc_cxx" >/dev/null 2>&1 || pc_cxx="$cxx"
"$pc_cxx" -std=c++20 "$here/consumer/main.cpp" "${flags[@]}" -o "$work/pc-consumer" ||
  fail "compiling and linking with pkg-config's flags"
# (A shared build's libraries are not on the loader's path in a temporary prefix.)
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/pc-consumer" >"$work/pc-consumer.out" ||
  fail "the pkg-config consumer exited $?"
check_output "pkg-config consumer" "$work/pc-consumer.out"
read -r -a static_flags <<<"$(pkg-config --static --cflags --libs hipaa_synth)"
"$pc_cxx" -std=c++20 "$here/consumer/main.cpp" "${static_flags[@]}" -o "$work/pc-consumer-static" ||
  fail "compiling and linking with pkg-config --static's flags"

echo "check-install: OK"
