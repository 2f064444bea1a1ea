import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const mode = process.argv[2] === 'auto' ? 'auto' : { pin: '2026-07-28' };
const client = new Client({ name: 'wire-client', version: '9.9.9' }, { versionNegotiation: { mode, probe: {} } });
const t = new StdioClientTransport({ command: 'node', args: ['/tmp/mcpv2/legacy-server.mjs'], env: { ...process.env } });
const t0 = Date.now();
try {
  await client.connect(t);
  console.log('connected after', Date.now() - t0, 'ms; version=', client.getNegotiatedProtocolVersion?.());
  console.log('tools', (await client.listTools()).tools.map(t => t.name).join(','));
} catch (e) { console.log('connect failed after', Date.now() - t0, 'ms:', e.constructor.name, e.code, e.message, JSON.stringify(e.data)); }
await client.close();
