#!/usr/bin/env bash
# Compares MergeMultiArch and the multiarch command with podman's manifest commands on one machine: re-merging 8 single-platform images that are
# already in the repository into one index with an annotation, wall time and registry requests of each.
#
#   bench/compare-podman.sh [runs]     default 5 runs of each, alternating; needs docker-registry, skopeo and podman
#                                      (installed with apt-get when missing and run as root on Debian)
#
# podman: `manifest create`, `manifest add` ×8, `manifest annotate --index`, `manifest push --all`.
# MergeMultiArch: `dotnet msbuild -t:MergeMultiArch` of a project that only references this SDK, the 8 tags as sources.
# multiarch merge: the command from MultiArchContainers.Tool (natively compiled on linux-x64), same sources and flags.
# Requests are counted from the registry's own access log. Nothing here is asserted; the tests do that.
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}

if ! command -v podman >/dev/null; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
  else
    echo "podman is missing: apt-get install -y podman" >&2; exit 1
  fi
fi

make_workdir mac-bench-merge
cleanup_more() { podman manifest rm bench-list >/dev/null 2>&1 || true; }
echo "Building and packing MultiArchContainers.Sdk and the multiarch command"
pack_sdk "$work/feed"
tool_rid=any tool_aot=false
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && tool_rid=linux-x64 tool_aot=true
dotnet pack src/MultiArchContainers.Tool -c Release -nologo -v:q -o "$work/feed" >/dev/null
dotnet pack src/MultiArchContainers.Tool -c Release -nologo -v:q -o "$work/feed" -r "$tool_rid" -p:PublishAot="$tool_aot" >/dev/null

start_registry "$work" 5300 "{ level: info, accesslog: { disabled: true } }"
mapfile -t sources < <(dotnet run --project tests/MultiArchContainers.Testing -c Release --no-build -- seed-platforms "$registry" bench/merge)

app="$work/merge"
mkdir -p "$app"
feed_config "$app"
cat > "$app/merge.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="MultiArchContainers.Sdk" Version="$version" />
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
</Project>
XML
export NUGET_PACKAGES="$work/nuget"
dotnet restore "$app/merge.csproj" -nologo -v:q >/dev/null
dotnet tool install MultiArchContainers.Tool --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null

requests() { grep -c 'response completed' "$work/registry.log" || true; }
timed() { # log command...: prints "seconds requests"
  local log=$1; shift
  local before start end
  before=$(requests)
  start=$(date +%s.%N)
  "$@" > "$log" 2>&1 || { echo "failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v r="$(( $(requests) - before ))" 'BEGIN { printf "%.2f %d\n", e - s, r }'
}
multiarch() {
  dotnet msbuild "$app/merge.csproj" -nologo -v:m -t:MergeMultiArch "-p:ContainerMergeSources=\"$(IFS=';'; echo "${sources[*]}")\"" \
    -p:ContainerRegistry="$registry" -p:ContainerRepository=bench/merged -p:ContainerImageTags=1.0 -p:ContainerGenerateAnnotations=false \
    '-p:ContainerAnnotations=index:org.opencontainers.image.source=https://example.com/app'
}
tool_merge() {
  "$work/tools/multiarch" merge -t "$registry/bench/tool:1.0" --annotation index:org.opencontainers.image.source=https://example.com/app "${sources[@]}"
}
podman_merge() {
  podman manifest rm bench-list >/dev/null 2>&1 || true
  podman manifest create bench-list >/dev/null
  for source in "${sources[@]}"; do podman manifest add --tls-verify=false bench-list "docker://$source" >/dev/null; done
  podman manifest annotate --index --annotation org.opencontainers.image.source=https://example.com/app bench-list >/dev/null
  podman manifest push --all --tls-verify=false bench-list "docker://$registry/bench/podman:1.0"
}

echo "First merge of each (not timed)"
timed "$work/warm-multiarch.log" multiarch >/dev/null
timed "$work/warm-podman.log" podman_merge >/dev/null
timed "$work/warm-tool.log" tool_merge >/dev/null

m_times=() m_requests=() p_times=() p_requests=() t_times=() t_requests=()
for i in $(seq 1 "$runs"); do
  read -r t r < <(timed "$work/podman-$i.log" podman_merge); p_times+=("$t"); p_requests+=("$r")
  read -r t r < <(timed "$work/multiarch-$i.log" multiarch); m_times+=("$t"); m_requests+=("$r")
  read -r t r < <(timed "$work/tool-$i.log" tool_merge); t_times+=("$t"); t_requests+=("$r")
  echo "run $i: podman ${p_times[-1]} s ${p_requests[-1]} requests, MergeMultiArch ${m_times[-1]} s ${m_requests[-1]} requests, multiarch merge ${t_times[-1]} s ${t_requests[-1]} requests"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "$(nproc) cores, $(dotnet --version) SDK, $(podman --version), $runs re-merges each, alternating (8 images already in the registry, 1 tag)"
echo
ratio() { awk -v a="$(median "$@")" -v b="$(median "${p_times[@]}")" 'BEGIN { printf "%.2f×", a / b }'; }
echo "| | podman manifest | MergeMultiArch | multiarch merge ($tool_rid) |"
echo "|---|---|---|---|"
echo "| seconds, median | $(median "${p_times[@]}") | $(median "${m_times[@]}") ($(ratio "${m_times[@]}")) | $(median "${t_times[@]}") ($(ratio "${t_times[@]}")) |"
echo "| registry requests, median | $(printf '%.0f' "$(median "${p_requests[@]}")") | $(printf '%.0f' "$(median "${m_requests[@]}")") (budget 3N+T+2 = 27) | $(printf '%.0f' "$(median "${t_requests[@]}")") |"
