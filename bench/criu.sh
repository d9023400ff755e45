#!/usr/bin/env bash
# CRIU for the benchmark's SnapStart rows (bench/.../ColdStartBench.java): prints the path of a
# working criu binary on its last line, or nothing (and why, on stderr) when there can be none here.
# Debian 12's criu (3.17) cannot read the vDSO of recent kernels, so this builds 4.1.1 from Debian's
# source tarball (checked against the sha256 Debian publishes) once, into a cache outside the clone.
# Needs Linux, root (CRIU restores processes with their PIDs) and apt for the build dependencies.
set -euo pipefail
version=4.1.1
sha256=f80a66cb3726bb2116266d4759ce3bcbfab7abdb6b6d430bf20dd41911717afe
cache="${XDG_CACHE_HOME:-$HOME/.cache}/lrm-xero-bench"
bin="$cache/criu-$version/criu/criu"

works() { [ -x "$1" ] && "$1" check >/dev/null 2>&1; }

if [ -n "${BENCH_CRIU:-}" ] && works "$BENCH_CRIU"; then echo "$BENCH_CRIU"; exit 0; fi
if works "$bin"; then echo "$bin"; exit 0; fi
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
  echo "criu.sh: SnapStart restores need Linux and root; they are not measured" >&2; exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "criu.sh: no apt-get for CRIU's build dependencies; SnapStart restores are not measured" >&2; exit 0
fi
echo "criu.sh: building CRIU $version into $cache (once)" >&2
mkdir -p "$cache"
{
  apt-get install -y --no-install-recommends build-essential pkg-config python3 protobuf-c-compiler \
    protobuf-compiler libprotobuf-c-dev libprotobuf-dev libnl-3-dev libnet1-dev libcap-dev libbsd-dev \
    uuid-dev libgnutls28-dev libnftables-dev python3-protobuf curl xz-utils \
    || { apt-get update && apt-get install -y --no-install-recommends build-essential pkg-config python3 \
      protobuf-c-compiler protobuf-compiler libprotobuf-c-dev libprotobuf-dev libnl-3-dev libnet1-dev \
      libcap-dev libbsd-dev uuid-dev libgnutls28-dev libnftables-dev python3-protobuf curl xz-utils; }
  tarball="$cache/criu_$version.orig.tar.xz"
  curl -fsS -o "$tarball" "http://deb.debian.org/debian/pool/main/c/criu/criu_$version.orig.tar.xz"
  echo "$sha256  $tarball" | sha256sum -c -
  rm -rf "$cache/criu-$version"
  tar -xf "$tarball" -C "$cache"
  make -C "$cache/criu-$version" -j"$(nproc)" criu
} >"$cache.build.log" 2>&1 || { echo "criu.sh: building CRIU failed, see $cache.build.log; SnapStart restores are not measured" >&2; exit 0; }
if works "$bin"; then echo "$bin"; else
  echo "criu.sh: CRIU built but 'criu check' fails on this kernel; SnapStart restores are not measured" >&2
fi
