// A minimal stdio MCP server (no SDK, so it can write any bytes) whose tools answer with lines a gateway
// must survive (issue 11): NaN, invalid UTF-8, an answer over the frame limit, lone surrogate escapes.
// Usage: node bad-answers-server.js LOG_FILE [HUGE_BYTES]; every line it reads is appended to LOG_FILE.
'use strict';
const fs = require('fs');
const readline = require('readline');

const log = process.argv[2];
const hugeBytes = Number(process.argv[3] || 200000);
const write = (bytes) => process.stdout.write(bytes);
const text = (id, t) => JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: t }] } }) + '\n';

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (log) fs.appendFileSync(log, line + '\n');
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (msg.id === undefined || typeof msg.method !== 'string') return;
  const id = JSON.stringify(msg.id);
  switch (msg.method) {
    case 'initialize':
      write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: {
        protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bad-answers', version: '1' } } }) + '\n');
      return;
    case 'tools/list':
      write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { tools: ['nan', 'bad_utf8', 'huge', 'lone_surrogates', 'good']
        .map((name) => ({ name, description: name, inputSchema: { type: 'object' } })) } }) + '\n');
      return;
    case 'tools/call':
      switch (msg.params && msg.params.name) {
        case 'nan':
          write(`{"jsonrpc":"2.0","id":${id},"result":{"value":NaN}}\n`);
          return;
        case 'bad_utf8':
          write(Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"`),
            Buffer.from([0xc3, 0x28]), Buffer.from('"}]}}\n')]));
          return;
        case 'huge':
          write(text(msg.id, 'x'.repeat(hugeBytes)));
          return;
        case 'lone_surrogates':
          // A notification and an answer the gateway must drop, then the real answer.
          write('{"jsonrpc":"2.0","method":"notifications/\\ud800"}\n{"jsonrpc":"2.0","id":"\\ud800","result":{}}\n');
          write(text(msg.id, 'after lone surrogates'));
          return;
        default:
          write(text(msg.id, 'good'));
          return;
      }
    default:
      write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: {} }) + '\n');
  }
});
