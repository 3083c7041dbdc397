/** The built CLI (`npx cxr-ai`, build/cli/main.js) as a child process, brought up to date first. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
// Plain JS shared with `npm run cli` and postinstall; compiles only when a source is newer.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLI_MAIN, ensureCliBuilt } = require('../../scripts/build-cli.js') as {
  CLI_MAIN: string;
  ensureCliBuilt(): void;
};

export { ensureCliBuilt };

export function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { cwd: root, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
