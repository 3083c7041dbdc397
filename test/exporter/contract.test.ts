/**
 * The NIH contract (models/contract/nih-chestxray14.json) as each side reads it: the TypeScript
 * builder's module and the Python exporter's `cxr_export.contract` must agree value for value.
 * Needs only a python3 (no PyTorch).
 */
import { spawnSync } from 'node:child_process';
import { IMAGENET_NORMALIZATION, NIH_FINDING_NAMES } from '../../models/contract';
import { EXPORTER_DIR, exporterEnv, exporterPython } from '../../models/exporter/exporterPython';

const PRINT_CONTRACT = [
  'import json',
  'from cxr_export.contract import IMAGENET_MEAN, IMAGENET_STD, NIH_FINDINGS',
  'print(json.dumps({"findings": NIH_FINDINGS, "mean": IMAGENET_MEAN, "std": IMAGENET_STD}))',
].join('\n');

describe('the NIH contract', () => {
  it('is read identically by the TypeScript builder and the Python exporter', () => {
    const run = spawnSync(exporterPython(), ['-c', PRINT_CONTRACT], {
      cwd: EXPORTER_DIR,
      encoding: 'utf8',
      env: exporterEnv(),
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [...NIH_FINDING_NAMES],
      mean: [...IMAGENET_NORMALIZATION.mean],
      std: [...IMAGENET_NORMALIZATION.std],
    });
  });

  it('lists 14 distinct findings and one mean and std per RGB channel', () => {
    expect(new Set(NIH_FINDING_NAMES).size).toBe(14);
    expect(IMAGENET_NORMALIZATION.mean).toHaveLength(3);
    expect(IMAGENET_NORMALIZATION.std).toHaveLength(3);
  });
});
