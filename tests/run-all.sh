#!/usr/bin/env bash
# Runs every test of FleetOrchestrator. Installs the Debian packages the tests use when they are
# missing (mosquitto, postgresql, gcc-arm-none-eabi, srecord, openssl, chromium): run as root, or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || missing+=(mosquitto)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
command -v arm-none-eabi-gcc >/dev/null 2>&1 || missing+=(gcc-arm-none-eabi binutils-arm-none-eabi)
command -v srec_cat >/dev/null 2>&1 || missing+=(srecord)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package starts a cluster on 5432; our fixtures start their own on a free port.
# Stop the packaged one so it does not hold memory during the run (harmless when absent).
if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | awk '$4=="online"{print $1, $2}' | while read -r v c; do pg_ctlcluster "$v" "$c" stop || true; done
fi

results="$(mktemp -d)"
set +e
dotnet test FleetOrchestrator.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?
set -e
# One plain closing line over all test projects.
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -n1)
  fl=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c")
  # Skipped tests are neither passed nor failed; TRX's notExecuted does not count them.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$c")
  n=$(( ${t:-0} - ${p:-0} - ${fl:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0})); skipped=$((skipped + ${n:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
