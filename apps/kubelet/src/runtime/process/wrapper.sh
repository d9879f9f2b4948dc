#!/bin/bash
# kubeling's container shim (containerd-shim's role, in bash): runs one container's process
# with its stdout and stderr appended to the CRI-format log file, and records its exit code,
# so the container outlives a kubelet restart and the next kubelet can adopt it.
#   wrapper.sh <container-id> <log file> <exit file> <setup script or ""> <cwd> -- argv...
# The process group is the container: the kubelet signals the group (SIGTERM, then SIGKILL).
id=$1 log=$2 exitfile=$3 setup=$4 cwd=$5
shift 6
ts='use Time::HiRes qw(time); $SIG{TERM}=$SIG{INT}=$SIG{HUP}=$SIG{QUIT}="IGNORE"; $|=1; my $s=shift;
while (my $l = <STDIN>) { my $t = time; my @g = gmtime($t); my $tag = ($l =~ s/\n\z//) ? "F" : "P";
  printf "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ %s %s %s\n", $g[5]+1900, $g[4]+1, $g[3], $g[2], $g[1], $g[0], ($t - int($t)) * 1e9, $s, $tag, $l; }'
if [ -n "$setup" ]; then
  # shellcheck disable=SC1090
  . "$setup" || { echo 128 > "$exitfile"; exit 128; }
fi
cd "$cwd" 2>/dev/null || cd /
trap ':' TERM INT HUP QUIT
if [ -n "$KUBELING_STDIN" ]; then
  "$@" 0<>"$KUBELING_STDIN" > >(exec perl -e "$ts" stdout >> "$log") 2> >(exec perl -e "$ts" stderr >> "$log") &
else
  "$@" </dev/null > >(exec perl -e "$ts" stdout >> "$log") 2> >(exec perl -e "$ts" stderr >> "$log") &
fi
c=$!
while :; do
  wait "$c"; s=$?
  kill -0 "$c" 2>/dev/null || break
done
echo "$s" > "$exitfile"
# Let the log writers drain what the container wrote last.
wait
exit "$s"
