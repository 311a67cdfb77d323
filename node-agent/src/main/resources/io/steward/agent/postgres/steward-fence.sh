#!/usr/bin/env bash
# steward-fence: runs PostgreSQL's postmaster as its child and kills it (SIGKILL) as soon as the
# fencing deadline passes, whatever the agent is doing: frozen, killed, or paused by a long GC.
#
#   steward-fence DEADLINE_FILE COMMAND...
#
# DEADLINE_FILE holds a time on /proc/uptime's clock in hundredths of a second, or 0 for none.
# The agent keeps it ahead of the clock while it renews the leader lease; a replica has 0.
# The postmaster is started with a parent-death signal, so it also dies if this script is killed.
#
# It fails closed: a file that cannot be read, or does not hold a plain number, changes nothing,
# so the deadline last read stays in force and a primary whose agent stopped renewing is killed at
# it. Only a readable number moves the deadline (0 disarms, as for a replica).
set -u
deadline_file=$1
shift
fifo="${deadline_file}.fifo"
rm -f "$fifo" && mkfifo -m 600 "$fifo" && exec 3<>"$fifo" && rm -f "$fifo"

"$@" &
child=$!
echo "steward-fence: watching postmaster $child (pid $$)" >&2

deadline=0   # in force: the last number read
complained=""
while kill -0 "$child" 2>/dev/null; do
  value=""
  if read -r value < "$deadline_file" 2>/dev/null && [[ "$value" =~ ^[0-9]{1,15}$ ]]; then
    deadline=$((10#$value))
    complained=""
  elif [ -z "$complained" ]; then
    echo "steward-fence: cannot read a deadline from $deadline_file ('${value:0:40}'); keeping $deadline" >&2
    complained=yes
  fi
  if [ "$deadline" -ne 0 ]; then
    read -r up _ < /proc/uptime
    now=$((10#${up/./}))
    if [ "$now" -ge "$deadline" ]; then
      # the backends too: each is a session leader of its own, and an idle one could take one more
      # transaction before it notices that its postmaster is gone
      backends=$(pgrep -P "$child" | tr '\n' ' ')
      kill -KILL "$child" $backends 2>/dev/null
      echo "steward-fence: lease deadline passed; postmaster $child and its backends killed at uptime $up" >&2
      break
    fi
  fi
  read -r -t 0.05 -u 3 _ 2>/dev/null
done
wait "$child"
exit $?
