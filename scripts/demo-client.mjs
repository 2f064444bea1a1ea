// A tiny MCP host for the demo: starts mcp-ssh with the given arguments, initializes, lists the tools and
// calls every echo tool (one per merged server), printing what it gets. Node's standard library only; one JSON-RPC message per line.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const [binary, ...args] = process.argv.slice(2);
const child = spawn(binary, args, { stdio: ["pipe", "pipe", "inherit"] });
const pending = new Map();
let nextId = 1;

createInterface({ input: child.stdout }).on("line", (line) => {
  const message = JSON.parse(line); // stdout must carry JSON-RPC only
  if (message.id !== undefined && pending.has(message.id)) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  }
});

function request(method, params) {
  const id = nextId++;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
  return new Promise((resolve, reject) => {
    pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
    setTimeout(() => reject(new Error(`${method}: no answer in 60 s`)), 60000).unref();
  });
}

const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
try {
  const started = performance.now();
  const init = await request("initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "mcp-ssh-demo", version: "1.0.0" },
  });
  const elapsed = performance.now() - started;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
  console.log(`connected to ${init.serverInfo.name} ${init.serverInfo.version} (protocol ${init.protocolVersion}) in ${elapsed.toFixed(0)} ms`);

  const { tools } = await request("tools/list", {});
  console.log(`${tools.length} tools: ${tools.map((t) => t.name).join(", ")}`);

  // Merged servers: the first keeps "echo", the next one's is "echo_1".
  for (const name of tools.map((t) => t.name).filter((n) => /^echo(_\d+)?$/.test(n))) {
    const result = await request("tools/call", { name, arguments: { message: "hello over SSH" } });
    console.log(`tools/call ${name} -> ${result.content.map((c) => c.text).join(" ")}`);
  }
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exitCode = 1;
} finally {
  child.stdin.end(); // stdin EOF: mcp-ssh drains and exits 0
  const code = await exited;
  console.log(`mcp-ssh exited with code ${code}`);
  if (code !== 0) process.exitCode = 1;
}
