#!/usr/bin/env bash
# Installs what Steward's build, tests and demo need on a Debian 12 machine, and nothing that is
# already there. Safe to run any number of times.
#
#   apt: postgresql-15 (server binaries in /usr/lib/postgresql/15/bin), etcd-server (/usr/bin/etcd),
#        maven, util-linux (setpriv, setsid), procps (pgrep, pkill), openssl (TLS tests), curl (demo),
#        gcc (the Citus stand-in's empty citus.so, built by the test kit where Citus is not installed),
#        chromium, chromium-driver (the audit UI's browser test),
#        iproute2 (ip: the test kit's network namespaces, veths and bridge for members on separate
#        hosts), nftables (nft: the cuts between those hosts)
#   JDK: a JDK 21 or newer must already be under /usr/lib/jvm (Temurin 25 on our machines);
#        scripts/java-home.sh picks it.
set -euo pipefail

missing=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
[ -x /usr/lib/postgresql/15/bin/pg_rewind ] || missing+=(postgresql-15)
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
command -v pkill >/dev/null 2>&1 || missing+=(procps)
command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# in /usr/sbin, which an ordinary user's PATH may lack
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)

if [ ${#missing[@]} -gt 0 ]; then
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# PostgreSQL refuses to run as root: as root, the test kit and the agent run it as this user,
# which the postgresql-15 package creates.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "setup: the 'postgres' OS user is missing although postgresql-15 is installed" >&2
  exit 1
fi

# Fails with a clear message when no suitable JDK is present.
. "$(dirname "$0")/java-home.sh"
echo "setup: PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}'), $(/usr/bin/etcd --version | head -1), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2) at $JAVA_HOME"
