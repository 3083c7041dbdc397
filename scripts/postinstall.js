// Builds what a fresh clone needs and does not commit: the demo model (deterministic from a seed)
// and the compiled CLI (build/). Kept in plain JS so it runs before anything is compiled.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { buildCli } = require('./build-cli');

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
execFileSync(tsx, [path.join(root, 'models/scripts/build-demo-model.ts')], { cwd: root, stdio: 'inherit' });
buildCli();
