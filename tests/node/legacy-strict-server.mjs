// A legacy-only (2025-11-25) stdio MCP server that exits on any method it does not know, as some older
// servers do: the gateway's server/discover probe kills it, so the gateway must restart it and initialize
// without probing again. One tool, strict-echo. Hand-written JSON-RPC, no SDK: exactly what it says.
import { createInterface } from 'node:readline';

const send = m => process.stdout.write(JSON.stringify(m) + '\n');
const rl = createInterface({ input: process.stdin });
rl.on('line', line => {
  const m = JSON.parse(line);
  if (m.id === undefined) return; // notifications
  switch (m.method) {
    case 'initialize':
      return send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'strict', version: '1.0.0' } } });
    case 'tools/list':
      return send({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'strict-echo', description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] } });
    case 'tools/call':
      return send({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: `strict: ${m.params?.arguments?.text}` }] } });
    case 'prompts/list': return send({ jsonrpc: '2.0', id: m.id, result: { prompts: [] } });
    case 'resources/list': return send({ jsonrpc: '2.0', id: m.id, result: { resources: [] } });
    case 'resources/templates/list': return send({ jsonrpc: '2.0', id: m.id, result: { resourceTemplates: [] } });
    default:
      process.stderr.write(`strict: unknown method ${m.method}, exiting\n`);
      process.exit(4);
  }
});
