#!/usr/bin/env bash
# Stages what a GPU host without Java or internet needs to build DJL's JNI and run the model-only trainer and
# benchmarks: a minimal JRE (jlink), the model's runtime jars without pytorch-native-cpu, and the DJL v0.35.1 sources
# that bench/gpu/build-jni.sh compiles, with the JNI header that `javac -h` writes (the host then needs no JDK).
#
# Usage: bench/gpu/stage.sh --djl DIR [--out DIR]
#   --djl DIR   a checkout of https://github.com/deepjavalibrary/djl at tag v0.35.1 (or any tree holding that tag's
#               engines/pytorch and api/src/main/native)
#   --out DIR   where to stage (default target/gpu-stage); copy it to the GPU host
# On the GPU host (docs/gpu.md, "Natives"):
#   export JAVA_HOME=$OUT/jre PATH=$OUT/jre/bin:$PATH
#   eval "$(bench/gpu/build-jni.sh --djl $OUT/djl --cache $OUT/cache)"
#   java -Dai.djl.offline=true -cp "$OUT/lib/*" dev.hstu.model.cli.TrainCommand ... --set model.runtime.device=gpu
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
djl="" out="$root/target/gpu-stage"
while [ $# -gt 0 ]; do
  case "$1" in
    --djl) djl=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -d "$djl/engines/pytorch/pytorch-native" ] || { echo "--djl DIR must be a DJL v0.35.1 source tree (see --help)" >&2; exit 2; }
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
rm -rf "$out" && mkdir -p "$out/lib" "$out/djl"

# java.desktop: log4j-core needs java.beans; jdk.unsupported: DJL's and Jackson's sun.misc use; java.management and
# jdk.management: the benchmarks' memory and CPU readings. The JDK's include/ is copied in for CMake's FindJNI.
jlink --add-modules java.base,java.logging,java.management,java.naming,java.xml,java.desktop,jdk.unsupported,jdk.management \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/jre"
cp -r "$jdk/include" "$out/jre/include"

(cd "$root" && mvn -B -q -DskipTests install -pl formats,model,bench -am >&2 \
  && mvn -B -q dependency:build-classpath -pl bench -Dmdep.includeScope=runtime -Dmdep.outputFile="$out/bench.cp" >&2)
# The model's classpath, without the CPU natives (the host's libtorch replaces them) and without Flink and Kafka,
# which the model-only commands and benchmarks do not load.
tr ':' '\n' < "$out/bench.cp" \
  | grep -E '/(ai/djl|com/fasterxml|info/picocli|com/github/jelmerk|org/eclipse/collections|org/apache/logging|org/slf4j|org/yaml|net/java/dev/jna|com/google/code/gson|org/apache/commons|commons-io|commons-codec|com/google/errorprone)/' \
  | grep -v pytorch-native-cpu | xargs -I{} cp {} "$out/lib/"
cp "$root"/formats/target/hstu-formats-*[0-9T].jar "$root"/model/target/hstu-model-*[0-9T].jar \
  "$root"/bench/target/hstu-bench-*[0-9T].jar "$out/lib/"
cp "$root/conf/log4j2.xml" "$out/"
rm "$out/bench.cp"

(cd "$djl" && tar -cf - engines/pytorch/pytorch-native/CMakeLists.txt engines/pytorch/pytorch-native/src/main/native \
  api/src/main/native LICENSE) | tar -xf - -C "$out/djl"
native=$out/djl/engines/pytorch/pytorch-native
mkdir -p "$native/build/include" "$out/classes"
javac -sourcepath "$djl/engines/pytorch/pytorch-engine/src/main/java" \
  "$djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" \
  -h "$native/build/include" -d "$out/classes"
rm -rf "$out/classes"
cp "$root/bench/gpu/build-jni.sh" "$out/"
du -sh "$out"/* >&2
echo "staged in $out" >&2
