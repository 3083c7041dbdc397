/**
 * The DICOM validators the tests run on every object we write: dicom3tools' dciodvfy (IOD
 * compliance), dcmtk's dsrdump (SR trees) and pydicom (an independent reader). A missing tool
 * skips its tests with the reason printed (.ci/run installs all three).
 */
import { execFileSync, spawnSync } from 'node:child_process';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** The first python3 that imports pydicom (pyenv's may not; Debian's python3-pydicom is in /usr/bin). */
export const PYTHON_WITH_PYDICOM = ['python3', '/usr/bin/python3'].find(
  (python) => spawnSync(python, ['-c', 'import pydicom']).status === 0,
);

export const TOOLS = {
  dciodvfy: onPath('dciodvfy'),
  dsrdump: onPath('dsrdump'),
  pydicom: PYTHON_WITH_PYDICOM !== undefined,
};

/** `test`, or `test.skip` with the reason printed once, when a tool is missing. */
export function withTool(tool: keyof typeof TOOLS): jest.It {
  if (TOOLS[tool]) return test;
  const why: Record<keyof typeof TOOLS, string> = {
    dciodvfy: 'dciodvfy is not installed (apt-get install dicom3tools)',
    dsrdump: 'dsrdump is not installed (apt-get install dcmtk)',
    pydicom: 'no python3 with pydicom (apt-get install python3-pydicom)',
  };
  console.warn(`skipping ${tool} checks: ${why[tool]}`);
  return test.skip;
}

export interface Dciodvfy {
  errors: string[];
  warnings: string[];
}

/** dciodvfy's Error and Warning lines for one file (it writes them to stderr and exits 0 either way). */
export function dciodvfy(file: string): Dciodvfy {
  const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').map((l) => l.trim());
  return {
    errors: lines.filter((l) => l.startsWith('Error')),
    warnings: lines.filter((l) => l.startsWith('Warning')),
  };
}

/** dsrdump's exit status and output (E: lines are errors). */
export function dsrdump(file: string): { status: number; output: string } {
  const run = spawnSync('dsrdump', [file], { encoding: 'utf8' });
  return { status: run.status ?? 1, output: `${run.stdout}\n${run.stderr}` };
}

/** Runs a python snippet with pydicom; `sys.argv[1:]` are `args`; returns its stdout parsed as JSON. */
export function pydicomJson<T>(script: string, ...args: string[]): T {
  if (!PYTHON_WITH_PYDICOM) throw new Error('no python3 with pydicom');
  return JSON.parse(execFileSync(PYTHON_WITH_PYDICOM, ['-c', script, ...args], { encoding: 'utf8' })) as T;
}

/** Warning lines counted by text (for the printed summary). */
export function countLines(lines: string[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `  ${n}x ${l}`).join('\n');
}
