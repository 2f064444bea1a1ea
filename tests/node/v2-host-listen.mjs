import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// A 2026-07-28 host on the TypeScript SDK v2 with ClientOptions.listChanged, so the SDK keeps a
// subscriptions/listen open for tools. Prints one JSON line per event on stdout:
//   {"event":"connected","listenId":...}  then {"event":"toolsChanged",...} each time the SDK accepts a
//   tools list_changed for its listen (it re-lists itself), and after the line "close" on stdin,
//   {"event":"closed","closeMs":N,"exitedAfterClose":bool}.
// Usage: node v2-host-listen.mjs COMMAND [ARGS...]
const [command, ...args] = process.argv.slice(2);
const print = o => console.log(JSON.stringify(o));
const client = new Client({ name: 'v2-host-listen', version: '1.0.0' }, {
  versionNegotiation: { mode: { pin: '2026-07-28' } },
  listChanged: { tools: { debounceMs: 0, onChanged: (error, tools) => print({ event: 'toolsChanged', error: error?.message ?? null, tools: tools?.map(t => t.name) ?? null }) } },
});
const transport = new StdioClientTransport({ command, args, stderr: 'inherit' });
await client.connect(transport);
const subscription = client.autoOpenedSubscription;
subscription?.closed.then(how => print({ event: 'listenClosed', how }));
print({ event: 'connected', listen: subscription ? subscription.honoredFilter : null });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'close') {
    const pid = transport.pid;
    const started = Date.now();
    await client.close();
    const closeMs = Date.now() - started;
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    print({ event: 'closed', closeMs, exitedAfterClose: !alive });
    process.exit(0);
  } else if (line === 'bump') {
    const r = await client.callTool({ name: 'bump', arguments: {} });
    print({ event: 'bumped', text: r.content[0].text });
  }
}
