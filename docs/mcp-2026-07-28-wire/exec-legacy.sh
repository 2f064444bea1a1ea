#!/bin/bash
exec node /tmp/mcpv2/legacy-server.mjs
