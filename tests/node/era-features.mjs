import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// Every MCP feature, one by one, through `mcp-ssh gateway --prefix-names` in front of the era matrix's three servers
// (modern: v2-server.mjs reject; dual: v2-server.mjs serve; legacy: server-everything), with the TS SDK v2 client.
// Usage: node era-features.mjs MODE [--only SERVER] -- COMMAND [ARGS...]      MODE: modern (pinned 2026-07-28) or legacy.
// --only SERVER: COMMAND is that one server (or a byte relay to it): probe it alone, tool and prompt names unprefixed.
// The v2 servers are started with their name as URI scheme (v2-server.mjs MODE NAME NAME): modern://static, dual://item/{id}.
// Prints ONE JSON line: {"mode","protocolVersion","error"?,"features":{SERVER:{FEATURE:"ok" | "error: ..." }}}.
// A feature a server does not have is left out. Each probe is bounded (PROBE_MS); exit 1 if anything failed.
const PROBE_MS = 15000;
const argv = process.argv.slice(2);
const modeName = argv.shift();
const only = argv[0] === '--only' ? (argv.shift(), argv.shift()) : undefined;
const [sep, command, ...args] = argv;
if (!['modern', 'legacy'].includes(modeName) || sep !== '--' || !command) {
  process.stderr.write('usage: node era-features.mjs modern|legacy [--only SERVER] -- COMMAND [ARGS...]\n');
  process.exit(2);
}
const named = (server, name) => (only ? name : `${server}__${name}`);
const modern = modeName === 'modern';
const client = new Client({ name: 'era-features', version: '1.0.0' }, {
  capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
  versionNegotiation: { mode: modern ? { pin: '2026-07-28' } : 'legacy' },
});
client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', content: { type: 'text', text: 'era-sample-reply' }, model: 'era-model', stopReason: 'endTurn' }));
client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { ok: true } }));
client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///era-root', name: 'era-root' }] }));

// Notifications by method: a probe arms a waiter before it triggers the change.
const waiters = [];
const seen = method => notification => {
  for (const w of waiters.filter(w => w.method === method && w.match(notification.params ?? {}))) {
    waiters.splice(waiters.indexOf(w), 1);
    w.resolve();
  }
};
for (const method of ['notifications/resources/updated', 'notifications/tools/list_changed', 'notifications/message']) {
  client.setNotificationHandler(method, seen(method));
}
const arm = (method, match = () => true) => new Promise(resolve => waiters.push({ method, match, resolve }));

const text = result => (result.content ?? result.contents ?? []).map(c => c.text ?? '').join('\n');
const expect = (condition, what) => { if (!condition) throw new Error(what); };
const call = async (name, args, options) => {
  const result = await client.callTool({ name, arguments: args }, options);
  expect(result.isError !== true, `${name} answered isError: ${text(result)}`);
  return text(result);
};

// On a modern connection change notifications come only through subscriptions/listen; on a legacy one they are unsolicited.
async function subscribed(filter, legacySubscribe, trigger, method, match) {
  const arrived = arm(method, match);
  let listen;
  if (modern) listen = await client.listen(filter);
  else await legacySubscribe();
  try {
    await trigger();
    await arrived;
  } finally {
    await listen?.close();
  }
}

// Progress is checked on the wire: the SDK (2.4.0) drops a progress notification that arrives in the same read as its
// result (the result's handler runs first and forgets the token: "unknown token"), which the v2 test server's tool
// does. So the probe watches the transport's incoming messages for a notifications/progress before the result.
const progressTokens = [];
async function progressed(callWith) {
  const before = progressTokens.length;
  await callWith({ onprogress: () => {} });
  expect(progressTokens.length > before, 'no notifications/progress before the result');
}

const v2 = server => {
  const name = tool => named(server, tool), res = `${server}://static`, item = `${server}://item/10`;
  return {
  tools: async () => expect((await call(name('echo'), { text: 'ft' })) === 'ft', 'echo did not echo'),
  prompts: async () => expect(JSON.stringify((await client.getPrompt({ name: name('greet'), arguments: { name: 'bob' } })).messages).includes('Hello bob'), 'greet'),
  resources: async () => {
    expect((await client.listResources()).resources.some(r => r.uri === res), `${res} not listed`);
    expect(text(await client.readResource({ uri: res })) === 'static content', `read ${res}`);
  },
  templates: async () => {
    expect((await client.listResourceTemplates()).resourceTemplates.some(t => t.uriTemplate === `${server}://item/{id}`), 'template not listed');
    expect(text(await client.readResource({ uri: item })) === 'item 10', `read ${item}`);
  },
  completion: async () => expect((await client.complete({ ref: { type: 'ref/prompt', name: name('greet') }, argument: { name: 'name', value: 'a' } })).completion.values.includes('alice'), 'no alice'),
  subscriptions: () => subscribed({ resourceSubscriptions: [res] }, () => client.subscribeResource({ uri: res }),
    () => call(name('bump'), {}), 'notifications/resources/updated', p => p.uri === res),
  listChanged: () => subscribed({ toolsListChanged: true }, async () => {}, () => call(name('bump'), {}), 'notifications/tools/list_changed'),
  logging: async () => {
    const logged = arm('notifications/message', p => p.data === 'hello log');
    if (modern) await client.callTool({ name: name('log'), arguments: {}, _meta: { 'io.modelcontextprotocol/logLevel': 'info' } });
    else { await client.setLoggingLevel('info'); await call(name('log'), {}); }
    await logged;
  },
  progress: () => progressed(options => call(name('log'), {}, options)),
  elicitation: async () => expect((await call(name('confirm'), { what: 'deploy' })).includes('"action":"accept"'), 'not accepted'),
  sampling: async () => expect((await call(name('sample'), { q: '2+2' })).includes('era-sample-reply'), 'no sample reply'),
  };
};

const everything = {
  tools: async () => expect((await call(named('legacy', 'echo'), { message: 'ft' })) === 'Echo: ft', 'echo did not echo'),
  prompts: async () => expect(JSON.stringify((await client.getPrompt({ name: named('legacy', 'args-prompt'), arguments: { city: 'Oslo' } })).messages).includes('Oslo'), 'args-prompt'),
  resources: async () => {
    const uri = (await client.listResources()).resources.find(r => r.uri.startsWith('demo://resource/static/'))?.uri;
    expect(uri, 'no demo://resource/static/ listed');
    expect((await client.readResource({ uri })).contents.length > 0, 'read ' + uri);
  },
  templates: async () => {
    expect((await client.listResourceTemplates()).resourceTemplates.some(t => t.uriTemplate === 'demo://resource/dynamic/text/{resourceId}'), 'template not listed');
    expect(text(await client.readResource({ uri: 'demo://resource/dynamic/text/7' })).length > 0, 'read dynamic/text/7');
  },
  completion: async () => expect((await client.complete({ ref: { type: 'ref/prompt', name: named('legacy', 'completable-prompt') }, argument: { name: 'department', value: 'Eng' } })).completion.values.includes('Engineering'), 'no Engineering'),
  progress: () => progressed(options => call(named('legacy', 'trigger-long-running-operation'), { duration: 1, steps: 2 }, options)),
  elicitation: async () => expect((await call(named('legacy', 'trigger-elicitation-request'), {})).includes('accept'), 'not accepted'),
  sampling: async () => expect((await call(named('legacy', 'trigger-sampling-request'), { prompt: 'hi', maxTokens: 10 })).includes('era-sample-reply'), 'no sample reply'),
  // Its updates come from a timer that toggle-subscriber-updates starts (and fires at once) for what was subscribed.
  subscriptions: async () => {
    const uri = (await client.listResources()).resources.find(r => r.uri.startsWith('demo://resource/static/'))?.uri;
    expect(uri, 'no demo://resource/static/ listed');
    await subscribed({ resourceSubscriptions: [uri] }, () => client.subscribeResource({ uri }),
      () => call(named('legacy', 'toggle-subscriber-updates'), {}), 'notifications/resources/updated', p => p.uri === uri);
  },
  // toggle-simulated-logging starts a timer of log messages at random levels (the first at once).
  logging: async () => {
    const logged = arm('notifications/message', p => String(p.data).includes('-level message') || String(p.data).includes('level-message'));
    if (modern) await client.callTool({ name: named('legacy', 'toggle-simulated-logging'), arguments: {}, _meta: { 'io.modelcontextprotocol/logLevel': 'debug' } });
    else { await client.setLoggingLevel('debug'); await call(named('legacy', 'toggle-simulated-logging'), {}); }
    await logged;
  },
  roots: async () => expect((await call(named('legacy', 'get-roots-list'), {})).includes('file:///era-root'), 'root not listed'),
};

const out = { mode: modeName, features: {} };
let failed = false;
const bounded = (promise, what) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${PROBE_MS} ms`)), PROBE_MS).unref())]);
try {
  const transport = new StdioClientTransport({ command, args, env: { ...process.env }, stderr: 'inherit' });
  await client.connect(transport);
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (message.method === 'notifications/progress') progressTokens.push(message.params?.progressToken);
    deliver?.call(transport, message, extra);
  };
  out.protocolVersion = client.getNegotiatedProtocolVersion?.();
  const servers = Object.entries({ modern: v2('modern'), dual: v2('dual'), legacy: everything }).filter(([server]) => !only || server === only);
  for (const [server, probes] of servers) {
    out.features[server] = {};
    for (const [feature, probe] of Object.entries(probes)) {
      try {
        await bounded(probe(), feature);
        out.features[server][feature] = 'ok';
      } catch (e) {
        out.features[server][feature] = `error: ${e?.code !== undefined ? `${e.code} ` : ''}${e?.message ?? e}`;
        failed = true;
      }
    }
  }
} catch (e) {
  out.error = `${e?.constructor?.name ?? 'Error'}${e?.code !== undefined ? ` ${e.code}` : ''}: ${e?.message ?? e}`;
  failed = true;
}
try { await client.close(); } catch { /* closing after a failure */ }
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(failed ? 1 : 0);
