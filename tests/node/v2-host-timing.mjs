import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// A 2026-07-28 host on the TypeScript SDK v2: connects (in 'auto' mode the SDK first runs a throwaway sibling
// process for its server/discover probe and reaps it), lists tools, calls echo, closes; prints how long the
// connect and the close took, so a test can see that the command it spawns ends promptly (docs/mcp-2026-07-28-wire.md §11.4).
// Usage: node v2-host-timing.mjs auto|pin COMMAND [ARGS...]
const [mode, command, ...args] = process.argv.slice(2);
const client = new Client({ name: 'v2-host-timing', version: '1.0.0' },
  { versionNegotiation: { mode: mode === 'auto' ? 'auto' : { pin: '2026-07-28' } } });
const transport = new StdioClientTransport({ command, args, stderr: 'inherit' });
let started = Date.now();
await client.connect(transport);
const connectMs = Date.now() - started;
const tools = (await client.listTools()).tools.map(t => t.name);
const echo = (await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).content[0].text;
const pid = transport.pid;
started = Date.now();
await client.close();
const closeMs = Date.now() - started;
let alive = true;
try { process.kill(pid, 0); } catch { alive = false; }
console.log(JSON.stringify({ connectMs, closeMs, tools, echo, exitedAfterClose: !alive }));
