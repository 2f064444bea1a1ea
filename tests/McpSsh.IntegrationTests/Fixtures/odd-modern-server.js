// A minimal stdio MCP 2026-07-28 server (no SDK, so it can answer anything) whose discover capabilities come
// from argv[2] (JSON) and whose tool odd_input answers input_required with an input request that is not an object.
// Tool changed writes tools/list_changed on every listen still open (not cancelled), then answers.
// Usage: node odd-modern-server.js CAPABILITIES_JSON
'use strict';
const readline = require('readline');

const capabilities = JSON.parse(process.argv[2] || '{"tools":{}}');
const meta = { 'io.modelcontextprotocol/serverInfo': { name: 'odd-modern', version: '1' } };
const listens = new Map(); // JSON text of the listen id -> the id
const answer = (id, result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result: { resultType: 'complete', _meta: meta, ...result } }) + '\n');

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (msg.method === 'notifications/cancelled' && msg.params) listens.delete(JSON.stringify(msg.params.requestId));
  if (msg.id === undefined || typeof msg.method !== 'string') return;
  switch (msg.method) {
    case 'server/discover':
      answer(msg.id, { supportedVersions: ['2026-07-28'], capabilities });
      return;
    case 'tools/list':
      answer(msg.id, { tools: ['odd_input', 'good', 'changed'].map((name) => ({ name, description: name, inputSchema: { type: 'object' } })) });
      return;
    case 'tools/call':
      if (msg.params && msg.params.name === 'odd_input' && !msg.params.inputResponses) {
        answer(msg.id, { resultType: 'input_required', inputRequests: { a: 'not a request' } });
        return;
      }
      if (msg.params && msg.params.name === 'changed') {
        for (const id of listens.values()) {
          process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { 'io.modelcontextprotocol/subscriptionId': id } } }) + '\n');
        }
      }
      answer(msg.id, { content: [{ type: 'text', text: 'good' }] });
      return;
    case 'subscriptions/listen':
      listens.set(JSON.stringify(msg.id), msg.id);
      return; // long-lived: never answered while open
    default:
      answer(msg.id, {});
  }
});
