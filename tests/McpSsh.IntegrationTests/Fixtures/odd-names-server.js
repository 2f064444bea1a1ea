// A minimal stdio MCP server (no SDK, so names can be anything) whose tools and prompts have names hosts
// reject (dots, spaces, slashes, non-ASCII, 100 characters, two that sanitise alike) next to ordinary ones,
// for the name and filter tests of issue 15. Every call answers "BACKEND_NAME:the name it was called by".
// Usage: node odd-names-server.js
'use strict';
const readline = require('readline');

const backend = process.env.BACKEND_NAME || '?';
const tools = ['echo', 'files.read', 'do it/now', 'ツール', 'a'.repeat(100) + '_x', 'a'.repeat(100) + '_y', 'get_item', 'get.item', 'delete_all', 'delete_one'];
const prompts = ['greet', 'greet.formal', 'p'.repeat(90)];
const write = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const text = (id, t) => write({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: t }] } });

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (msg.id === undefined || typeof msg.method !== 'string') return;
  const name = msg.params && msg.params.name;
  switch (msg.method) {
    case 'initialize':
      return write({ jsonrpc: '2.0', id: msg.id, result: {
        protocolVersion: msg.params.protocolVersion, capabilities: { tools: {}, prompts: {} }, serverInfo: { name: 'odd-names', version: '1' } } });
    case 'tools/list':
      return write({ jsonrpc: '2.0', id: msg.id, result: { tools: tools.map((n) => ({ name: n, description: 'tool ' + n, inputSchema: { type: 'object' } })) } });
    case 'prompts/list':
      return write({ jsonrpc: '2.0', id: msg.id, result: { prompts: prompts.map((n) => ({ name: n, description: 'prompt ' + n })) } });
    case 'tools/call':
      if (!tools.includes(name)) return write({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: `Tool ${name} not found` } });
      return text(msg.id, `${backend}:${name}`);
    case 'prompts/get':
      if (!prompts.includes(name)) return write({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: `Prompt ${name} not found` } });
      return write({ jsonrpc: '2.0', id: msg.id, result: { messages: [{ role: 'user', content: { type: 'text', text: `${backend}:${name}` } }] } });
    case 'ping':
      return write({ jsonrpc: '2.0', id: msg.id, result: {} });
    default:
      // A 2025-era server: server/discover and anything else unknown is "Method not found", so SDK clients fall back to initialize.
      return write({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
