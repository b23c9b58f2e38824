#!/usr/bin/env bash
# Builds DJL 0.35.1's PyTorch JNI (libdjl_torch.so) against the libtorch of the host's pip-installed PyTorch, and
# puts it where DJL looks for it. Run it on the GPU host. DJL's prebuilt JNI fits libtorch 2.7.1 only; a host with
# another torch (the lent H200 has 2.11) needs this build.
#
# Usage: bench/gpu/build-jni.sh --djl DIR [--cache DIR] [--python python3]
#   --djl DIR     a DJL v0.35.1 source tree holding at least engines/pytorch/pytorch-native (CMakeLists.txt,
#                 src/main/native) and api/src/main/native (djl/utils.h), with the JNI header that `javac -h`
#                 writes already in engines/pytorch/pytorch-native/build/include (bench/gpu/stage.sh makes it;
#                 the host needs no JDK then, only CMake, a C++17 compiler and, for CUDA, nvcc)
#   --cache DIR   DJL's engine cache to install into (default: cache/ beside this script); point ENGINE_CACHE_DIR
#                 at it (the script prints the export)
#   JAVA_HOME     must hold include/jni.h and include/linux/jni_md.h and lib/server/libjvm.so (CMake's FindJNI)
# Prints the environment to export for DJL to use it (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR,
# ENGINE_CACHE_DIR).
set -euo pipefail
djl="" cache="$(cd "$(dirname "$0")" && pwd)/cache" python=python3
while [ $# -gt 0 ]; do
  case "$1" in
    --djl) djl=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$djl" ] || { echo "--djl DIR is required (see --help)" >&2; exit 2; }
native=$djl/engines/pytorch/pytorch-native
for f in "$native/CMakeLists.txt" "$djl/api/src/main/native/djl/utils.h" \
    "$native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h"; do
  [ -f "$f" ] || { echo "missing $f (see --help)" >&2; exit 2; }
done
[ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ] \
  || { echo "JAVA_HOME must hold include/jni.h (a JDK, or a jlink'ed JRE with the JDK's include/ copied in)" >&2; exit 2; }

# The version DJL is told must be the host's real torch version: DJL names the cache folder after it and
# refuses a JNI whose folder does not match.
read -r version cuda prefix libdir < <("$python" -c 'import os, torch
print(torch.__version__.split("+")[0], torch.version.cuda or "cpu", torch.utils.cmake_prefix_path,
      os.path.join(os.path.dirname(torch.__file__), "lib"))')
if [ "$cuda" = cpu ]; then flavor=cpu; use_cuda=""; else flavor=cu${cuda//./}; use_cuda=1; fi
echo "torch $version ($flavor) at $libdir" >&2

build=$(mktemp -d)
# pip's torch is built with the new C++ ABI and ships no libtorch CMake package of its own version check
# beyond torch.utils.cmake_prefix_path; TORCH_CXX_FLAGS carries the ABI flag.
cmake -S "$native" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DUSE_CUDA="$use_cuda" \
  -DJAVA_HOME="$JAVA_HOME" -DJAVA_INCLUDE_PATH="$JAVA_HOME/include" \
  -DJAVA_INCLUDE_PATH2="$JAVA_HOME/include/linux" -DJAVA_JVM_LIBRARY="$JAVA_HOME/lib/server/libjvm.so" >&2
cmake --build "$build" -j "$(nproc)" >&2

target=$cache/pytorch/$version-$flavor-linux-x86_64
mkdir -p "$target"
cp "$build/libdjl_torch.so" "$target/0.35.1-libdjl_torch.so"
rm -rf "$build"
echo "installed $target/0.35.1-libdjl_torch.so" >&2
echo "export PYTORCH_LIBRARY_PATH=$libdir PYTORCH_VERSION=$version PYTORCH_FLAVOR=$flavor ENGINE_CACHE_DIR=$cache"
