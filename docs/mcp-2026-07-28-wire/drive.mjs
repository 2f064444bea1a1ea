// usage: node drive.mjs script.jsonl [LEGACY=reject]; each line of script: JSON to send, or "#sleep ms", or "#close"
import { spawn } from 'node:child_process';
import fs from 'node:fs';
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.trim() && !l.startsWith('//'));
const p = spawn('node', ['/tmp/mcpv2/server.mjs'], { env: { ...process.env } , stdio: ['pipe', 'pipe', 'pipe'] });
let buf = '';
p.stdout.on('data', d => { buf += d; let i; while ((i = buf.indexOf('\n')) >= 0) { console.log('<< ' + buf.slice(0, i)); buf = buf.slice(i + 1); } });
p.stderr.on('data', d => process.stdout.write('!! ' + d));
p.on('exit', (c, s) => console.log(`-- exit code=${c} sig=${s}`));
const sleep = ms => new Promise(r => setTimeout(r, ms));
for (const l of lines) {
  if (l.startsWith('#sleep')) { await sleep(+l.split(' ')[1]); continue; }
  if (l.startsWith('#close')) { p.stdin.end(); console.log('-- stdin closed'); continue; }
  console.log('>> ' + l); p.stdin.write(l + '\n'); await sleep(250);
}
await sleep(500); if (p.exitCode === null) { p.stdin.end(); await sleep(500); } if (p.exitCode === null) { console.log('-- still running, killing'); p.kill(); }
