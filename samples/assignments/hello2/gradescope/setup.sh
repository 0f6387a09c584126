#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image. The autograder zip holds
# this directory's files and a checkout of sysemu under sysemu/ (make it with ./make-zip.sh).
# Installs Node 20, clang and lld (the kernel patch is compiled to WebAssembly) and the
# riscv64 cross gcc (the student's own user-space program is compiled for riscv64).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl xz-utils clang lld \
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross >/dev/null

NODE_VERSION=20.20.2
if ! node --version 2>/dev/null | grep -q '^v20\.'; then
  arch=$(dpkg --print-architecture); [ "$arch" = amd64 ] && arch=x64
  curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-${arch}.tar.xz" \
    | tar -xJ -C /usr/local --strip-components=1
fi

cd /autograder/source/sysemu
npm ci --no-audit --no-fund
