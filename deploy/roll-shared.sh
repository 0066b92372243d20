#!/bin/sh
# Rolling restart of every running multivac-shared@N instance, all on one port
# (docs/deploying.md#kernel-balancing): one at a time, the next only once the restarted one listens.
# /healthz cannot tell: on the shared port a request reaches any instance, so the script waits until a
# process of the restarted unit holds a listening TCP socket (ss shows each instance's own).
# Run as root after updating /srv/multivac: `sh /srv/multivac/deploy/roll-shared.sh`.
set -eu
# How long a restarted instance may take to listen before the roll stops, leaving the rest as they are.
wait_s=${ROLL_WAIT_S:-60}

units=$(systemctl list-units --plain --no-legend --state=running 'multivac-shared@*.service' | awk '{ print $1 }')
[ -n "$units" ] || { echo "roll: no multivac-shared@N instance is running" >&2; exit 1; }

# Whether process $1 is process $2 or runs under it (npm runs the server as a grandchild).
descends_from() {
  pid=$1
  while [ "$pid" -gt 1 ]; do
    [ "$pid" = "$2" ] && return 0
    pid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 1
    [ -n "$pid" ] || return 1
  done
  return 1
}

# Whether a process under main PID $1 listens on TCP (the server has no other listener than its port).
listens() {
  for listener in $(ss -Hltnp | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    descends_from "$listener" "$1" && return 0
  done
  return 1
}

for unit in $units; do
  # Returns once the old process has drained and exited and the new one is started.
  systemctl restart "$unit"
  main=$(systemctl show --property=MainPID --value "$unit")
  deadline=$(($(date +%s) + wait_s))
  until [ "$main" != 0 ] && listens "$main"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "roll: $unit did not listen within ${wait_s} s; stopping here" >&2
      exit 1
    fi
    sleep 0.1
    main=$(systemctl show --property=MainPID --value "$unit")
  done
  echo "roll: $unit is back"
done
