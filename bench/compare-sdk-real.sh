#!/usr/bin/env bash
# Compares PublishMultiArch with the .NET SDK's own multi-RID `PublishContainer` on a real-size app: about 150 source
# files with a ProjectReference, two RIDs, and a base image of about 60 MB a platform (incompressible layers) in a
# second local registry, as a public base image and a private registry are. Three cases, each timed alternately
# (SDK, -t:PublishMultiArch, ContainerPublishMultiArch=true; then again): clean (bin/ and obj/ removed, NuGet cache
# warm), one line of one source file changed, nothing changed; and, for reference, a dotnet publish that publishes
# nothing (the floor, timed three times a run). All of it twice: with a base image whose config has a history entry per layer, and without.
#
#   bench/compare-sdk-real.sh [runs]     default 3 runs of each; needs docker-registry, skopeo and python3
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}

source bench/real-app.sh
make_workdir mac-bench-real
echo "Building and packing MultiArchContainers.Sdk"
pack_sdk "$work/feed"
# The registry pushed to, and a second one for the base image.
start_registry "$work" 5300 "{ level: warn }"
target=$registry target_pid=$registry_pid
mkdir -p "$work/base"
start_registry "$work/base" 5400 "{ level: warn }"
base=$registry base_pid=$registry_pid
registry_pid=$target_pid
cleanup_more() { kill "$base_pid" 2>/dev/null || true; }
seed() { dotnet run --project tests/MultiArchContainers.Testing -c Release --no-build -- seed-large-base "$base" "$@" >/dev/null; }
seed dotnet/runtime:10.0 60
seed dotnet/runtime-without-history:10.0 60 no-history
export NUGET_PACKAGES="$work/nuget" DOTNET_CONTAINER_INSECURE_REGISTRIES="$target;$base"

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$(median "${@:2}")" -v b="$1" 'BEGIN { printf "%.2f×", a / b }'; }
cell() { local sdk=$1; shift; if [ "$sdk" = - ]; then printf '%s' "$(median "$@")"; else printf '%s (%s)' "$(median "$@")" "$(ratio "$sdk" "$@")"; fi; }

publish() { # folder target log: "-" is a plain publish, "floor" one that publishes nothing; prints the seconds
  local args=() start end
  case "$2" in -) ;; floor) args=(-p:IsPublishable=false) ;; *) args=(-t:"$2") ;; esac
  start=$(date +%s.%N)
  dotnet publish "$1/app/app.csproj" "${args[@]}" -nologo -v:m > "$3" 2>&1 || { echo "publish of $1 failed, see $3" >&2; tail -20 "$3" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
clean() { rm -rf "$1/app/bin" "$1/app/obj" "$1/lib/bin" "$1/lib/obj"; }
change_line() { sed -i "s/large order[0-9]* /large order$2 /" "$1/app/App1.cs"; }
compiles() { # folder target: compiler runs for the app in a clean publish, from the build's own log
  clean "$1"
  local args=(-t:"$2"); [ "$2" = - ] && args=()
  dotnet publish "$1/app/app.csproj" "${args[@]}" -nologo -v:n > "$1.compiles.log" 2>&1
  grep -c "CompilerServer:.* - app (net10.0)" "$1.compiles.log" || true
}

results=()
for config in history without-history; do
  image=dotnet/runtime:10.0; [ "$config" = without-history ] && image=dotnet/runtime-without-history:10.0
  common="<ContainerBaseImage>$base/$image</ContainerBaseImage><ContainerRegistry>$target</ContainerRegistry><ContainerImageTags>1.0</ContainerImageTags><ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>"
  dir="$work/$config"
  write_real_app "$dir/sdk" "" "$common<ContainerRepository>bench/$config-sdk</ContainerRepository><RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>"
  write_real_app "$dir/multiarch" "<Sdk Name=\"MultiArchContainers.Sdk\" Version=\"$version\" />" "$common<ContainerRepository>bench/$config-multiarch</ContainerRepository>"
  write_real_app "$dir/image" "<Sdk Name=\"MultiArchContainers.Sdk\" Version=\"$version\" />" "$common<ContainerRepository>bench/$config-image</ContainerRepository><ContainerPublishMultiArch>true</ContainerPublishMultiArch>"
  feed_config "$dir"
  printf '{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" } }\n' > "$dir/global.json"
  # The apps live in one git repository, as projects do: PublishMultiArch takes its timestamps from the commit.
  printf 'bin/\nobj/\n*.log\n' > "$dir/.gitignore"
  git -C "$dir" init -q && git -C "$dir" add -A && git -C "$dir" -c user.name=bench -c user.email=bench@localhost commit -qm bench

  echo "[$config] warming the NuGet cache and the SDK's base image cache (not timed)"
  publish "$dir/sdk" PublishContainer "$dir/warm-sdk.log" >/dev/null
  publish "$dir/multiarch" PublishMultiArch "$dir/warm-multiarch.log" >/dev/null
  publish "$dir/image" - "$dir/warm-image.log" >/dev/null
  csc_sdk=$(compiles "$dir/sdk" PublishContainer); csc_multiarch=$(compiles "$dir/multiarch" PublishMultiArch); csc_image=$(compiles "$dir/image" -)
  # Where a one-line change spends its time after the compile: the SDK's CreateNewImage (two RIDs) against this SDK's
  # own work on the images after it (keep, key, record, collect and push), from MSBuild's performance summary; three
  # one-line changes, medians (one measurement moves by a few hundred ms on this machine).
  # (The SDK's CreateNewImage runs inside QuietCreateNewImage in this SDK's per-RID builds.)
  task_ms() { awk -v t="$2" '$2 == "ms" && $3 == t { s += $1 } END { print s + 0 }' "$1"; }
  create=() ours=()
  for k in 1 2 3; do
    change_line "$dir/image" "0$k"
    dotnet publish "$dir/image/app/app.csproj" -nologo -v:m -clp:PerformanceSummary > "$dir/summary-$k.log" 2>&1
    create+=("$(( $(task_ms "$dir/summary-$k.log" CreateNewImage) + $(task_ms "$dir/summary-$k.log" QuietCreateNewImage) ))")
    ours+=("$(( $(task_ms "$dir/summary-$k.log" KeepPlatformImage) + $(task_ms "$dir/summary-$k.log" FindPlatformImage) + $(task_ms "$dir/summary-$k.log" RecordPlatformInputs) + $(task_ms "$dir/summary-$k.log" PushPlatformImages) ))")
  done
  create_ms=$(median "${create[@]}" | cut -d. -f1) ours_ms=$(median "${ours[@]}" | cut -d. -f1)

  clean_sdk=() clean_multiarch=() clean_image=() line_sdk=() line_multiarch=() line_image=() same_sdk=() same_multiarch=() same_image=() floor=()
  for i in $(seq 1 "$runs"); do
    for p in sdk multiarch image; do clean "$dir/$p"; done
    clean_sdk+=("$(publish "$dir/sdk" PublishContainer "$dir/clean-sdk-$i.log")")
    clean_multiarch+=("$(publish "$dir/multiarch" PublishMultiArch "$dir/clean-multiarch-$i.log")")
    clean_image+=("$(publish "$dir/image" - "$dir/clean-image-$i.log")")
    for p in sdk multiarch image; do change_line "$dir/$p" "$i"; done
    line_sdk+=("$(publish "$dir/sdk" PublishContainer "$dir/line-sdk-$i.log")")
    line_multiarch+=("$(publish "$dir/multiarch" PublishMultiArch "$dir/line-multiarch-$i.log")")
    line_image+=("$(publish "$dir/image" - "$dir/line-image-$i.log")")
    # The floor is the least steady figure here, so it is timed three times a run, once after each of the three.
    same_sdk+=("$(publish "$dir/sdk" PublishContainer "$dir/same-sdk-$i.log")")
    floor+=("$(publish "$dir/sdk" floor "$dir/floor-$i-a.log")")
    same_multiarch+=("$(publish "$dir/multiarch" PublishMultiArch "$dir/same-multiarch-$i.log")")
    floor+=("$(publish "$dir/sdk" floor "$dir/floor-$i-b.log")")
    same_image+=("$(publish "$dir/image" - "$dir/same-image-$i.log")")
    floor+=("$(publish "$dir/sdk" floor "$dir/floor-$i-c.log")")
    echo "[$config] run $i: clean ${clean_sdk[-1]} / ${clean_multiarch[-1]} / ${clean_image[-1]} s; one line ${line_sdk[-1]} / ${line_multiarch[-1]} / ${line_image[-1]} s;" \
      "nothing ${same_sdk[-1]} / ${same_multiarch[-1]} / ${same_image[-1]} s; floor ${floor[-3]} / ${floor[-2]} / ${floor[-1]} s (SDK / -t:PublishMultiArch / ContainerPublishMultiArch=true)"
  done

  sdk_clean=$(median "${clean_sdk[@]}") sdk_line=$(median "${line_sdk[@]}") sdk_same=$(median "${same_sdk[@]}")
  # The layers of one platform's image (amd64), by digest: which of the pushed image's are the base image's own.
  layers() { python3 - "$1" <<'PY'
import json, subprocess, sys
ref = sys.argv[1]
raw = lambda r: json.loads(subprocess.run(["skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + r], capture_output=True, check=True).stdout)
doc = raw(ref)
if "manifests" in doc:
    name = ref.rsplit(":", 1)[0] if "@" not in ref else ref.split("@")[0]
    doc = raw(name + "@" + next(m["digest"] for m in doc["manifests"] if m["platform"]["architecture"] == "amd64"))
print(" ".join(l["digest"] for l in doc["layers"]))
PY
  }
  shared=$(python3 -c 'import sys; a=set(sys.argv[1].split()); b=sys.argv[2].split(); print(sum(1 for x in b if x in a), "of", len(b))' "$(layers "$base/$image")" "$(layers "$target/bench/$config-multiarch:1.0")")
  label="with history"; [ "$config" = without-history ] && label="without history"
  results+=("| **base image $label**, clean (bin/ and obj/ removed) | $(cell - "${clean_sdk[@]}") | $(cell "$sdk_clean" "${clean_multiarch[@]}") | $(cell "$sdk_clean" "${clean_image[@]}") |"
    "| one line of one source file changed | $(cell - "${line_sdk[@]}") | $(cell "$sdk_line" "${line_multiarch[@]}") | $(cell "$sdk_line" "${line_image[@]}") |"
    "| nothing changed | $(cell - "${same_sdk[@]}") | $(cell "$sdk_same" "${same_multiarch[@]}") | $(cell "$sdk_same" "${same_image[@]}") |"
    "| for reference: a dotnet publish that publishes nothing (the floor) | $(cell "$sdk_same" "${floor[@]}") | | |"
    "| compiler runs for the app in a clean publish | $csc_sdk | $csc_multiarch | $csc_image |"
    "| base layers of the pushed linux/amd64 image that are the base image's | | $shared | |"
    "| one line changed: the SDK's CreateNewImage, and this SDK's work on the images after it, ms (median of 3) | | | $create_ms, $ours_ms |")
done

echo
echo "$(nproc) cores, $(dotnet --version) SDK, $runs runs alternating, medians in seconds; ratios over the SDK's median of the same case"
echo
echo "| | SDK PublishContainer | dotnet publish -t:PublishMultiArch | dotnet publish, ContainerPublishMultiArch=true |"
echo "|---|---|---|---|"
printf '%s\n' "${results[@]}"
