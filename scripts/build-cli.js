// Compiles the CLI and the engine it runs (tsconfig.cli.json: plain tsc, CommonJS, no bundling, so
// onnxruntime-web's Node build finds its .wasm files in node_modules as it does under tsx) into
// build/, so a command starts in plain Node instead of compiling TypeScript on every run.
// `node scripts/build-cli.js` builds when stale; `--force` always. Plain JS: runs before any compile.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const CLI_MAIN = path.join(root, 'build', 'cli', 'main.js');
/** Written after each successful compile: tsc leaves unchanged outputs alone, so their times say nothing. */
const STAMP = path.join(root, 'build', 'cli.stamp');
const INPUTS = [
  'extension/src/cli',
  'extension/src/engine',
  'extension/src/dicomResults',
  'tsconfig.cli.json',
  'tsconfig.json',
];

function newestInput(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    0,
    ...fs
      .readdirSync(entry, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')))
      .map((e) => newestInput(path.join(entry, e.name))),
  );
}

function isStale() {
  if (!fs.existsSync(CLI_MAIN) || !fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newestInput(path.join(root, input)) > built);
}

function buildCli() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  // Compiler messages go to stderr so that `--json` output on stdout stays clean.
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.cli.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

function ensureCliBuilt() {
  if (isStale()) buildCli();
}

module.exports = { CLI_MAIN, ensureCliBuilt, buildCli };

if (require.main === module) {
  if (process.argv.includes('--force')) buildCli();
  else ensureCliBuilt();
}
