#!/bin/bash
LOG=/tmp/mcpv2/logs/$(date +%s%N)-$$.log
mkdir -p /tmp/mcpv2/logs
tee -a >(sed -u 's/^/C> /' >> "$LOG") | node /tmp/mcpv2/legacy-server.mjs | tee >(sed -u 's/^/S< /' >> "$LOG")
