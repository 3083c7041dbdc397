/** The built CLI (`npx cxr-ai`, build/cli/main.js) as a child process, for the CLI and e2e tests. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
// Plain JS shared with `npm run cli` and postinstall; compiles only when a source is newer.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { CLI_MAIN, ensureCliBuilt } = require('../../scripts/build-cli.js') as {
  CLI_MAIN: string;
  ensureCliBuilt(): void;
};

/** The compiled CLI (`npx cxr-ai`) as a child process. */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { cwd: root, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs the CLI and fails the test with its stderr when it does not exit 0. */
export async function cliOk(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(...args);
  if (code !== 0) throw new Error(`cxr-ai ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}
