#!/usr/bin/env bash
# Compares PublishMultiArch with the .NET SDK's own multi-RID `PublishContainer` on one machine: wall time of clean
# publishes (bin/ and obj/ removed, NuGet cache warm), of unchanged republishes right after them, and what each leaves
# in the registry. PublishMultiArch is timed two ways: `dotnet publish -t:PublishMultiArch` (dotnet publish builds and
# publishes the framework-dependent folder without a RID first), and a plain `dotnet publish` of a project that sets
# ContainerPublishMultiArch=true (the image is the whole publish).
#
#   bench/compare-sdk.sh [runs]     default 5 runs of each, alternating; needs docker-registry and skopeo
#
# Both publish the same console app for linux-x64 and linux-arm64 onto the same offline two-platform base image,
# into a local registry on 127.0.0.1, one repository each. The table printed at the end is the result; nothing here
# is asserted, the tests do that.
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}

make_workdir mac-bench
echo "Building and packing MultiArchContainers.Sdk"
pack_sdk "$work/feed"
start_registry "$work" 5200 "{ level: info, accesslog: { disabled: true } }"
dotnet run --project tests/MultiArchContainers.Testing -c Release --no-build -- seed-base "$registry" dotnet/runtime:10.0 >/dev/null

# One app in three folders (so each keeps its own obj/ between publishes), one project file each: the plain SDK
# needs the RIDs in RuntimeIdentifiers too (NETSDK1047 otherwise).
for project in sdk multiarch image; do
  mkdir -p "$work/$project"
  echo 'System.Console.WriteLine("bench");' > "$work/$project/Program.cs"
  feed_config "$work/$project"
done
common="<OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
    <ContainerBaseImage>$registry/dotnet/runtime:10.0</ContainerBaseImage><ContainerRegistry>$registry</ContainerRegistry>
    <ContainerImageTags>1.0</ContainerImageTags>"
labels='<ContainerLabel Include="org.opencontainers.image.url" Value="https://example.com:8443/app" />'
cat > "$work/sdk/sdk.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>$common
    <ContainerRepository>bench/sdk</ContainerRepository>
    <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
    <RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>
  </PropertyGroup>
  <ItemGroup>$labels</ItemGroup>
</Project>
XML
cat > "$work/multiarch/multiarch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="MultiArchContainers.Sdk" Version="$version" />
  <PropertyGroup>$common
    <ContainerRepository>bench/multiarch</ContainerRepository>
    <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
  </PropertyGroup>
  <ItemGroup>$labels
    <ContainerIndexAnnotation Include="org.opencontainers.image.url" Value="https://example.com:8443/app" />
  </ItemGroup>
</Project>
XML

sed -e 's|bench/multiarch|bench/image|' -e 's|</ContainerRuntimeIdentifiers>|</ContainerRuntimeIdentifiers>\n    <ContainerPublishMultiArch>true</ContainerPublishMultiArch>|' \
  "$work/multiarch/multiarch.csproj" > "$work/image/image.csproj"

# The apps live in one git repository, as projects do: PublishMultiArch takes its timestamps from the commit.
git -C "$work" init -q && git -C "$work" add sdk multiarch image && git -C "$work" -c user.name=bench -c user.email=bench@localhost commit -qm bench
printf 'bin/\nobj/\n' > "$work/.gitignore"

export NUGET_PACKAGES="$work/nuget" DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry"
publish() { # project target log [keep]: clean unless the fourth argument says keep; target "-" is a plain publish,
  # "floor" a dotnet publish that publishes nothing (IsPublishable=false): start, restore and evaluation alone
  [ "${4:-}" = keep ] || rm -rf "$work/$1/bin" "$work/$1/obj"
  local start end
  start=$(date +%s.%N)
  local target=(-t:"$2")
  [ "$2" = - ] && target=()
  [ "$2" = floor ] && target=(-p:IsPublishable=false)
  dotnet publish "$work/$1/$1.csproj" "${target[@]}" -nologo -v:m > "$3" 2>&1 || { echo "publish of $1 failed, see $3" >&2; tail -20 "$3" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }' 
}

echo "Warming the NuGet cache (not timed)"
publish sdk PublishContainer "$work/warm-sdk.log" >/dev/null
publish multiarch PublishMultiArch "$work/warm-multiarch.log" >/dev/null
publish image - "$work/warm-image.log" >/dev/null

log_lines() { wc -l < "$work/registry.log"; }
writes_since() { # line repository: the registry's writes to the repository logged after that line
  tail -n +"$(($1 + 1))" "$work/registry.log" | grep -a 'response completed' | grep -aE 'http.request.method=(PUT|POST|PATCH|DELETE)' | grep -ac "uri=\"\?/v2/$2/" || true
}
sdk_writes=0 multiarch_writes=0 image_writes=0
sdk_times=() multiarch_times=() image_times=() sdk_again=() multiarch_again=() image_again=() plain_again=() floor_again=()
for i in $(seq 1 "$runs"); do
  sdk_times+=("$(publish sdk PublishContainer "$work/sdk-$i.log")")
  multiarch_times+=("$(publish multiarch PublishMultiArch "$work/multiarch-$i.log")")
  image_times+=("$(publish image - "$work/image-$i.log")")
  mark=$(log_lines)
  sdk_again+=("$(publish sdk PublishContainer "$work/sdk-again-$i.log" keep)")
  sdk_writes=$((sdk_writes + $(writes_since "$mark" bench/sdk)))
  mark=$(log_lines)
  multiarch_again+=("$(publish multiarch PublishMultiArch "$work/multiarch-again-$i.log" keep)")
  multiarch_writes=$((multiarch_writes + $(writes_since "$mark" bench/multiarch)))
  mark=$(log_lines)
  image_again+=("$(publish image - "$work/image-again-$i.log" keep)")
  image_writes=$((image_writes + $(writes_since "$mark" bench/image)))
  plain_again+=("$(publish sdk - "$work/plain-again-$i.log" keep)")
  floor_again+=("$(publish sdk floor "$work/floor-again-$i.log" keep)")
  echo "run $i: clean sdk ${sdk_times[-1]} s, -t:PublishMultiArch ${multiarch_times[-1]} s, image is the publish ${image_times[-1]} s;" \
    "unchanged sdk ${sdk_again[-1]} s, -t:PublishMultiArch ${multiarch_again[-1]} s, image is the publish ${image_again[-1]} s;" \
    "plain publish ${plain_again[-1]} s, nothing published ${floor_again[-1]} s"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stats() { printf '%s\n' "$@" | sort -n | awk -v m="$(median "$@")" '{ v[NR] = $1 } END { printf "%.1f (%.1f to %.1f)", m, v[1], v[NR] }'; }
ratio() { awk -v a="$(median "${@:2}")" -v b="$1" 'BEGIN { printf "%.2f×", a / b }'; }
inspect() { skopeo inspect --tls-verify=false "$@"; }
tags() { skopeo list-tags --tls-verify=false "docker://$registry/$1" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["Tags"])))'; }
platforms() { inspect --raw "docker://$registry/$1:1.0" | python3 -c 'import json,sys; print(" ".join("/".join(filter(None, [p["os"], p["architecture"], p.get("variant")])) for p in (m["platform"] for m in json.load(sys.stdin)["manifests"])))'; }
media() { inspect --raw "docker://$registry/$1:1.0" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("mediaType", "(none)") + ",", len(d.get("annotations", {})), "annotation(s)")'; }
label() { inspect --config --override-arch arm64 --override-variant v8 "docker://$registry/$1:1.0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"].get("Labels", {}).get("org.opencontainers.image.url", "(missing)"))'; }

echo
echo "$(nproc) cores, $(dotnet --version) SDK, $runs runs, alternating: a clean publish of each (bin/ and obj/ removed, NuGet"
echo "cache warm), then an unchanged republish of each; ratios are PublishMultiArch's median over the SDK's"
echo
echo "| | SDK PublishContainer | dotnet publish -t:PublishMultiArch | dotnet publish, ContainerPublishMultiArch=true |"
echo "|---|---|---|---|"
echo "| clean publish, seconds, median (min to max) | $(stats "${sdk_times[@]}") | $(stats "${multiarch_times[@]}") ($(ratio "$(median "${sdk_times[@]}")" "${multiarch_times[@]}")) | $(stats "${image_times[@]}") ($(ratio "$(median "${sdk_times[@]}")" "${image_times[@]}")) |"
echo "| unchanged republish, seconds, median (min to max) | $(stats "${sdk_again[@]}") | $(stats "${multiarch_again[@]}") ($(ratio "$(median "${sdk_again[@]}")" "${multiarch_again[@]}")) | $(stats "${image_again[@]}") ($(ratio "$(median "${sdk_again[@]}")" "${image_again[@]}")) |"
echo "| for reference: unchanged plain dotnet publish of the same app, no image, seconds | $(stats "${plain_again[@]}") ($(ratio "$(median "${sdk_again[@]}")" "${plain_again[@]}")) | | |"
echo "| for reference: dotnet publish that publishes nothing (IsPublishable=false: start, restore, evaluation), seconds | $(stats "${floor_again[@]}") ($(ratio "$(median "${sdk_again[@]}")" "${floor_again[@]}")) | | |"
echo "| images reused on the unchanged republish | $(grep -c 'up to date' "$work"/sdk-again-*.log | awk -F: '{ s += $2 } END { print s + 0 }') | $(grep -h 'up to date' "$work"/multiarch-again-*.log | wc -l) | $(grep -h 'up to date' "$work"/image-again-*.log | wc -l) |"
echo "| registry writes on the unchanged republishes, all runs | $sdk_writes | $multiarch_writes | $image_writes |"
echo "| tags in the repository | $(tags bench/sdk) | $(tags bench/multiarch) | $(tags bench/image) |"
echo "| index platforms | $(platforms bench/sdk) | $(platforms bench/multiarch) | $(platforms bench/image) |"
echo "| index media type, annotations | $(media bench/sdk) | $(media bench/multiarch) | $(media bench/image) |"
echo "| arm64 label org.opencontainers.image.url | $(label bench/sdk) | $(label bench/multiarch) | $(label bench/image) |"
