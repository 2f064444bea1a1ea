import { McpServer, ResourceTemplate, completable, inputRequired, acceptedContent, inputResponse } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

// A 2026-07-28 MCP server on the TypeScript SDK v2 (serveStdio), for the era tests.
// Usage: node v2-server.mjs [serve|reject] [server-name] [uri-scheme]
//   serve  (default): dual-era, answers server/discover and also a legacy initialize;
//   reject: modern-only ({ legacy: 'reject' }), a legacy initialize gets -32022.
//   uri-scheme (default res): its resources are SCHEME://static and SCHEME://item/{id}, so two of these servers
//   behind one gateway have URIs of their own (routing by URI picks the right one).
const legacy = process.argv[2] === 'reject' ? 'reject' : 'serve';
const serverName = process.argv[3] ?? (legacy === 'reject' ? 'v2-modern' : 'v2-dual');
const scheme = process.argv[4] ?? 'res';
function factory(opts) {
  const server = new McpServer({ name: serverName, version: '2.4.0' }, {
    capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true, subscribe: true }, logging: {} },
  });
  server.registerTool('echo', { description: 'Echo text', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('confirm', { description: 'Asks for confirmation via elicitation', inputSchema: z.object({ what: z.string() }) },
    async ({ what }, ctx) => {
      const schema = z.object({ ok: z.boolean() });
      const view = inputResponse(ctx.mcpReq.inputResponses, 'c');
      if (view.kind === 'missing') {
        return inputRequired({ inputRequests: { c: inputRequired.elicit({ message: `Really ${what}?`, requestedSchema: schema }) }, requestState: 'round1' });
      }
      return { content: [{ type: 'text', text: `view=${JSON.stringify(view)} state=${JSON.stringify(ctx.mcpReq.requestState?.())}` }] };
    });
  server.registerTool('sample', { description: 'Asks for sampling', inputSchema: z.object({ q: z.string() }) },
    async ({ q }, ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, 's');
      if (view.kind === 'missing') {
        return inputRequired({ inputRequests: { s: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: q } }], maxTokens: 50 }) } });
      }
      return { content: [{ type: 'text', text: `sampled=${JSON.stringify(view)}` }] };
    });
  server.registerTool('log', { description: 'logs + progress' }, async (ctx) => {
    await ctx.mcpReq.log('info', 'hello log', 'wire');
    await ctx.mcpReq.log('debug', 'debug log', 'wire');
    const pt = ctx.mcpReq._meta?.progressToken;
    if (pt !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: pt, progress: 1, total: 2 } });
    return { content: [{ type: 'text', text: 'logged' }] };
  });
  server.registerTool('slow', { description: 'waits 2s' }, async (ctx) => {
    const r = await new Promise(res => { const t = setTimeout(() => res('done'), 2000); ctx.mcpReq.signal?.addEventListener('abort', () => { clearTimeout(t); res('aborted'); }); });
    process.stderr.write(`[server] slow finished: ${r}\n`);
    return { content: [{ type: 'text', text: r }] };
  });
  let n = 0;
  server.registerTool('bump', { description: 'Adds a tool (list_changed) and updates SCHEME://static' }, async () => {
    n++;
    server.registerTool('extra' + n, { description: 'dyn' }, async () => ({ content: [{ type: 'text', text: 'x' }] }));
    await server.server.sendResourceUpdated({ uri: `${scheme}://static` });
    return { content: [{ type: 'text', text: 'bumped ' + n }] };
  });
  server.registerPrompt('greet', { description: 'Greeting', argsSchema: z.object({ name: completable(z.string(), v => ['alice', 'bob'].filter(x => x.startsWith(v))) }) },
    ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name}` } }] }));
  server.registerResource('static', `${scheme}://static`, { mimeType: 'text/plain' }, async uri => ({ contents: [{ uri: uri.href, text: 'static content' }] }));
  server.registerResource('item', new ResourceTemplate(`${scheme}://item/{id}`, { list: undefined, complete: { id: v => ['1', '2', '10'].filter(x => x.startsWith(v)) } }),
    { mimeType: 'text/plain' }, async (uri, { id }) => ({ contents: [{ uri: uri.href, text: 'item ' + id }] }));
  process.stderr.write(`[${serverName}] era=${opts?.era}\n`);
  return server;
}
const h = serveStdio(factory, { legacy, onerror: e => process.stderr.write(`[server onerror] ${e.message}\n`) });
if (process.env.CLOSE_AFTER) setTimeout(() => h.close(), +process.env.CLOSE_AFTER);
