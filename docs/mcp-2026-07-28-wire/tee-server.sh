#!/bin/bash
# logs every line the client writes (stdin) and the server answers (stdout) per process
LOG=/tmp/mcpv2/logs/$(date +%s%N)-$$.log
mkdir -p /tmp/mcpv2/logs
echo "# argv: $*  pid=$$" > "$LOG"
tee -a >(sed -u 's/^/C> /' >> "$LOG") | node /tmp/mcpv2/server.mjs 2>>"$LOG.err" | tee >(sed -u 's/^/S< /' >> "$LOG")
