import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// The TypeScript SDK v2 client (2.4.0) as an MCP host for the era matrix (issue 13).
// Usage: node era-client.mjs MODE [--call TOOL JSON-ARGS]... -- COMMAND [ARGS...]
//   MODE: modern (versionNegotiation pinned to 2026-07-28), legacy (the plain 2025 initialize), auto (probe, fall back).
// It spawns COMMAND the way the SDK does (in modern and auto mode twice: a one-line server/discover probe, then the
// session), lists every tool (all pages) and calls each --call tool. It prints ONE JSON line on stdout:
//   {"mode","protocolVersion","server","tools":[names],"calls":{TOOL:{"text"|"error","isError"}},"connectMs","error"?}
// and exits 1 when connecting, listing or any call failed (the line still says what did work).
const argv = process.argv.slice(2);
const modeName = argv.shift();
const modes = { modern: { pin: '2026-07-28' }, legacy: 'legacy', auto: 'auto' };
if (!(modeName in modes)) {
  process.stderr.write(`era-client: MODE must be modern, legacy or auto, not ${modeName}\n`);
  process.exit(2);
}

const calls = [];
while (argv.length > 0 && argv[0] !== '--') {
  const flag = argv.shift();
  if (flag !== '--call' || argv.length < 2) {
    process.stderr.write(`era-client: expected --call TOOL JSON-ARGS or --, not ${flag}\n`);
    process.exit(2);
  }
  calls.push({ name: argv.shift(), args: JSON.parse(argv.shift()) });
}
argv.shift(); // --
const [command, ...args] = argv;
if (!command) {
  process.stderr.write('era-client: no command to spawn after --\n');
  process.exit(2);
}

const out = { mode: modeName, tools: [], calls: {} };
let failed = false;
const message = e => `${e?.constructor?.name ?? 'Error'}${e?.code !== undefined ? ` ${e.code}` : ''}: ${e?.message ?? e}`;
const client = new Client({ name: 'era-client', version: '1.0.0' }, { versionNegotiation: { mode: modes[modeName] } });
const transport = new StdioClientTransport({ command, args, env: { ...process.env }, stderr: 'inherit' });
const started = Date.now();
try {
  await client.connect(transport);
  out.connectMs = Date.now() - started;
  out.protocolVersion = client.getNegotiatedProtocolVersion?.();
  out.server = client.getServerVersion()?.name;
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    out.tools.push(...page.tools.map(t => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  for (const call of calls) {
    try {
      const result = await client.callTool({ name: call.name, arguments: call.args });
      const text = (result.content ?? []).filter(c => c.type === 'text').map(c => c.text).join('\n');
      out.calls[call.name] = { text, isError: result.isError === true };
      failed ||= result.isError === true;
    } catch (e) {
      out.calls[call.name] = { error: message(e) };
      failed = true;
    }
  }
} catch (e) {
  out.connectMs ??= Date.now() - started;
  out.error = message(e);
  failed = true;
}

try {
  await client.close();
} catch (e) {
  out.closeError = message(e);
}

process.stdout.write(JSON.stringify(out) + '\n');
process.exit(failed ? 1 : 0);
