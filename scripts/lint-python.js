#!/usr/bin/env node
// Ruff (its official WebAssembly build from npm, so no Python tooling to install) over the
// exporter's Python: lint rules and format check. Exits non-zero on any finding.
// Plain JS so that it runs without a compile step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

const root = path.resolve(__dirname, '..');
const PYTHON_ROOTS = ['models/exporter'];
const SETTINGS = {
  'line-length': 120,
  'target-version': 'py311',
  lint: {
    // pycodestyle, pyflakes, isort, pep8-naming, pyupgrade, bugbear, simplify
    select: ['E', 'W', 'F', 'I', 'N', 'UP', 'B', 'SIM'],
    // torch's conventions: capitalised shape names (N, C, H, W) and `import torch.nn.functional as F`
    ignore: ['N806', 'N812'],
  },
  format: { 'quote-style': 'double' },
};

function pythonFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__pycache__' ? [] : pythonFiles(p);
    return entry.name.endsWith('.py') ? [p] : [];
  });
}

const fix = process.argv.includes('--fix');
const workspace = new Workspace(SETTINGS, PositionEncoding.Utf16);
let problems = 0;
for (const file of PYTHON_ROOTS.flatMap((r) => pythonFiles(path.join(root, r)))) {
  const rel = path.relative(root, file);
  const source = fs.readFileSync(file, 'utf8');
  for (const d of workspace.check(source)) {
    problems++;
    console.log(`${rel}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? 'syntax'} ${d.message}`);
  }
  const formatted = workspace.format(source);
  if (formatted !== source) {
    if (fix) {
      fs.writeFileSync(file, formatted);
      console.log(`${rel}: reformatted`);
    } else {
      problems++;
      console.log(`${rel}: not formatted as ruff format would (node scripts/lint-python.js --fix)`);
    }
  }
}
console.log(`ruff ${Workspace.version()}: ${problems} problem(s) in ${PYTHON_ROOTS.join(', ')}`);
process.exit(problems ? 1 : 0);
