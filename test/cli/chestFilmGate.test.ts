/**
 * The chest-film gate as a site admin meets it in the CLI: real films pass; a lateral view, a
 * colour image, a CT-like slice, an 8x8 image and a 10-year-old's AP film are refused with their
 * sentence and a non-zero exit; the demo study's real films pass or carry their caution.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoStudy } from '../../demo/build-demo-study';
import { PATHS } from '../../demo/server';
import { GATE_FIXTURES, writeGateFixtures } from '../fixtures/gateFixtures';
import { cli, ensureCliBuilt } from '../support/runCli';

let work: string;
beforeAll(() => {
  ensureCliBuilt();
  buildDemoStudy(PATHS.study);
  work = mkdtempSync(join(tmpdir(), 'cxr-gate-'));
  writeGateFixtures(work, '/');
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the chest-film gate in the CLI', () => {
  it.each([
    [
      'nih-00001968_000-LL.dcm',
      /^error: Not analysed\. This is a lateral view; the model reads frontal \(PA or AP\) chest films\.$/,
    ],
    [
      'nih-00026911_000.dcm',
      /^error: Not analysed\. .*The patient is 10 years old; the model is meant for patients 18 and over\.$/,
    ],
  ])('refuses the demo study %s with its sentence', async (file, sentence) => {
    const { code, stdout, stderr } = await cli('predict', join(PATHS.study, file));
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(sentence);
  });

  it.each(GATE_FIXTURES.map((f) => [f.fileName, f.expect] as const))('refuses %s', async (file, sentence) => {
    const { code, stderr } = await cli('predict', join(work, file), '--json');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(sentence);
  });

  it("passes the demo study's adult PA films, and reports the gate in --json", async () => {
    const { code, stdout } = await cli('predict', join(PATHS.study, 'nih-00001369_000.dcm'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).gate).toEqual({ outcome: 'pass', findings: [] });
  });
});
