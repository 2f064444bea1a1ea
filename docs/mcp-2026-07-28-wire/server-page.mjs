import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
serveStdio(() => {
  const s = new Server({ name: 'pager', version: '1' }, { capabilities: { tools: {} }, cacheHints: { 'tools/list': { ttlMs: 30000, cacheScope: 'public' } } });
  s.setRequestHandler('tools/list', async (req) => {
    const c = req.params?.cursor;
    if (!c) return { tools: [{ name: 'a', inputSchema: { type: 'object' } }], nextCursor: 'page2' };
    return { tools: [{ name: 'b', inputSchema: { type: 'object' } }], ttlMs: 5, cacheScope: 'private' };
  });
  return s;
}, { onerror: e => process.stderr.write('[onerror] ' + e.message + '\n') });
