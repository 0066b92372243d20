#!/bin/sh
# Rolling restart of every running multivac@PORT instance (docs/deploying.md#rolling-restart): one at a
# time, the next only once the restarted one answers /healthz with 200, so nginx always has one to send
# clients to.
# Run as root after updating /srv/multivac: `sh /srv/multivac/deploy/roll.sh`.
set -eu
# How long a restarted instance may take to answer 200 before the roll stops, leaving the rest as they are.
wait_s=${ROLL_WAIT_S:-60}

units=$(systemctl list-units --plain --no-legend --state=running 'multivac@*.service' | awk '{ print $1 }')
[ -n "$units" ] || { echo "roll: no multivac@PORT instance is running" >&2; exit 1; }

for unit in $units; do
  port=${unit#multivac@}
  port=${port%.service}
  # Returns once the old process has drained and exited and the new one is started.
  systemctl restart "$unit"
  deadline=$(($(date +%s) + wait_s))
  until curl --silent --fail --output /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "roll: $unit gave no 200 on /healthz within ${wait_s} s; stopping here" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "roll: $unit is back"
done
