// minimal 2025-era server: answers initialize; -32601 for unknown methods (or EXIT_ON_UNKNOWN=1: exits; SILENT=1: ignore)
import readline from 'node:readline';
const rl = readline.createInterface({ input: process.stdin });
const out = o => process.stdout.write(JSON.stringify(o) + '\n');
rl.on('line', l => {
  const m = JSON.parse(l);
  if (m.id === undefined) return;
  if (m.method === 'initialize') return out({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'legacy', version: '1' } } });
  if (m.method === 'tools/list') return out({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } });
  if (process.env.EXIT_ON_UNKNOWN) process.exit(1);
  if (process.env.SILENT) return;
  out({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
});
