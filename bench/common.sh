# Shared by the bench scripts (sourced from the repository root): a throwaway work folder, a free port, the packed SDK
# in a folder feed, and a local docker-registry with its storage in the work folder. Sourcing it moves to the
# repository root (root) and keeps the dotnet CLI quiet.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

make_workdir() { # name: sets work to a new folder; it is removed, and the registry stopped, when the script exits
  work=$(mktemp -d "/tmp/$1-XXXXXX")
  registry_pid=
  trap bench_cleanup EXIT
}

cleanup_more() { :; } # a script that leaves something else behind defines its own

bench_cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null
  cleanup_more
  rm -rf "$work"
}

free_port() { # first last: prints the first port in the range nothing listens on
  local port
  for port in $(seq "$1" "$2"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port in $1-$2" >&2; exit 1
}

pack_sdk() { # feed: builds the solution and packs MultiArchContainers.Sdk into the folder as build.sh does; sets version
  dotnet build MultiArchContainers.sln -c Release -nologo -v:q >/dev/null
  ./build.sh pack-sdk "$1" >/dev/null
  version=$(basename "$1"/MultiArchContainers.Sdk.*.nupkg .nupkg | sed 's/^MultiArchContainers\.Sdk\.//')
}

feed_config() { # folder: a nuget.config there that takes packages from the feed pack_sdk wrote ($work/feed)
  cat > "$1/nuget.config" <<XML
<configuration><packageSources><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
}

start_registry() { # work first-port log-settings: starts docker-registry on 127.0.0.1; sets registry and registry_pid
  local port
  port=$(free_port "$2" "$(($2 + 100))")
  registry="127.0.0.1:$port"
  cat > "$1/registry.yml" <<YML
version: 0.1
log: $3
storage: { filesystem: { rootdirectory: $1/registry } }
http: { addr: $registry }
YML
  docker-registry serve "$1/registry.yml" > "$1/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
}
