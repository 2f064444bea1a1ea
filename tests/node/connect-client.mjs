import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// Connects the TypeScript SDK v2 client to a stdio server and prints one JSON line: {"connected":true,...} or
// {"connected":false,"message":"..."} with the error the SDK reports (issue 15: mcp-ssh's own error must reach it).
// Usage: node connect-client.mjs auto|legacy COMMAND [ARGS...]
const [mode, command, ...args] = process.argv.slice(2);
const client = new Client({ name: 'mcp-ssh-test', version: '1.0.0' },
  mode === 'auto' ? { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 20000 } } } : {});
const transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
try {
  await client.connect(transport, { timeout: 30000 });
  console.log(JSON.stringify({ connected: true, server: client.getServerVersion?.()?.name ?? null }));
  await client.close();
} catch (error) {
  console.log(JSON.stringify({ connected: false, message: String(error?.message ?? error), code: error?.code ?? null }));
  try { await client.close(); } catch { /* already closed */ }
}
process.exit(0);
