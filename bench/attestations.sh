#!/usr/bin/env bash
# What ContainerSbom and ContainerProvenance add to a clean two-RID PublishMultiArch: clean publishes (bin/ and obj/
# removed, NuGet cache warm) without and with both, alternating (A B A B ...), in a git repository, into a local
# docker-registry. Prints the medians and the ratio; nothing is asserted, the tests do that.
#
#   bench/attestations.sh [runs]     default 5 runs of each; needs docker-registry
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}
make_workdir mac-bench-attest
echo "Building and packing MultiArchContainers.Sdk"
pack_sdk "$work/feed"
start_registry "$work" 5400 "{ level: warn }"
dotnet run --project tests/MultiArchContainers.Testing -c Release --no-build -- seed-base "$registry" dotnet/runtime:10.0 >/dev/null

app="$work/app"
mkdir -p "$app"
echo 'System.Console.WriteLine("bench");' > "$app/Program.cs"
feed_config "$app"
cat > "$app/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="MultiArchContainers.Sdk" Version="$version" />
  <PropertyGroup>
    <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
    <ContainerBaseImage>$registry/dotnet/runtime:10.0</ContainerBaseImage><ContainerRegistry>$registry</ContainerRegistry>
    <ContainerRepository>bench/attested</ContainerRepository><ContainerImageTags>1.0</ContainerImageTags>
    <ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>
  </PropertyGroup>
</Project>
XML
printf 'bin/\nobj/\n' > "$app/.gitignore"
git -C "$app" init -q && git -C "$app" add -A && git -C "$app" -c user.name=bench -c user.email=bench@localhost commit -qm bench
export NUGET_PACKAGES="$work/nuget"

publish() { # log [extra properties...]: a clean publish, prints its seconds
  local log=$1; shift
  rm -rf "$app/bin" "$app/obj"
  local start end
  start=$(date +%s.%N)
  dotnet publish "$app/app.csproj" -t:PublishMultiArch -nologo -v:m "$@" > "$log" 2>&1 || { echo "publish failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

echo "Warming the NuGet cache (not timed)"
publish "$work/warm.log" >/dev/null
publish "$work/warm-attested.log" -p:ContainerSbom=true -p:ContainerProvenance=true >/dev/null

plain=() attested=()
for i in $(seq 1 "$runs"); do
  plain+=("$(publish "$work/plain-$i.log")")
  attested+=("$(publish "$work/attested-$i.log" -p:ContainerSbom=true -p:ContainerProvenance=true)")
  echo "run $i: without ${plain[-1]} s, with SBOM and provenance ${attested[-1]} s"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
attestations=$(skopeo inspect --tls-verify=false --raw "docker://$registry/bench/attested:1.0" | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin)["manifests"] if m["platform"]["os"] == "unknown"))')
echo
echo "$(nproc) cores, $(dotnet --version) SDK, $runs clean two-RID publishes each, alternating"
echo
echo "| | without | ContainerSbom + ContainerProvenance |"
echo "|---|---|---|"
echo "| clean publish, seconds, median | $(median "${plain[@]}") | $(median "${attested[@]}") ($(awk -v a="$(median "${attested[@]}")" -v b="$(median "${plain[@]}")" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }')) |"
echo "| attestation manifests in the index | 0 | $attestations |"
