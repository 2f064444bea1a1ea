import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const mode = process.argv[2] === 'auto' ? 'auto' : process.argv[2] === 'legacy' ? 'legacy' : { pin: '2026-07-28' };
const client = new Client({ name: 'wire-client', version: '9.9.9' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } });
client.setRequestHandler('elicitation/create', async (req) => ({ action: 'accept', content: { ok: true } }));
const t = new StdioClientTransport({ command: '/tmp/mcpv2/tee-server.sh', args: [], env: { ...process.env } });
await client.connect(t);
console.log('connected; version=', client.getNegotiatedProtocolVersion?.(), 'server=', JSON.stringify(client.getServerVersion()));
console.log('tools', (await client.listTools()).tools.map(t => t.name).join(','));
const r = await client.callTool({ name: 'confirm', arguments: { what: 'deploy' } });
console.log('confirm', JSON.stringify(r));
if (mode !== 'legacy' && client.listen) {
  const sub = await client.listen({ toolsListChanged: true });
  await client.callTool({ name: 'bump', arguments: {} });
  await new Promise(r => setTimeout(r, 300));
  await sub.close();
}
await client.close();
console.log('closed');
