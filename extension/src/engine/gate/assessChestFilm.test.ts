import { join } from 'node:path';
import { readImageFile } from '../../cli/io/readImageFile';
import type { ModelManifest } from '../types/ModelManifest';
import type { AcquisitionInfo } from '../types/ChestFilmGate';
import type { RadiographPixels } from '../types/RadiographPixels';
import { assessChestFilm } from './assessChestFilm';
import { patientAgeYears } from './patientAge';

const manifest = { intendedPopulation: { minAgeYears: 18, views: ['PA', 'AP'] } } as unknown as ModelManifest;

/** A noisy greyscale film of the given size, with acquisition attributes. */
function film(acquisition: AcquisitionInfo = {}, rows = 1024, columns = 1024, extra: Partial<RadiographPixels> = {}) {
  let seed = 7;
  const pixelData = Uint16Array.from({ length: rows * columns }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % 4096;
  });
  return {
    pixelData,
    rows,
    columns,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    bitsStored: 12,
    acquisition,
    ...extra,
  };
}

const checks = (p: RadiographPixels) => assessChestFilm(p, manifest).findings.map((f) => `${f.check}:${f.action}`);

describe('assessChestFilm', () => {
  it('passes the shipped NIH radiographs and an adult PA chest DX', async () => {
    const nih = join(__dirname, '../../../../demo/data/nih');
    for (const file of ['jrzech__00001369_000.png', 'txv__00000001_000.png']) {
      expect(assessChestFilm(await readImageFile(join(nih, file)), manifest)).toEqual({
        outcome: 'pass',
        findings: [],
      });
    }
    const pa = film({ modality: 'DX', bodyPartExamined: 'CHEST', viewPosition: 'PA', patientAge: '045Y' });
    expect(assessChestFilm(pa, manifest).outcome).toBe('pass');
  });

  it('refuses a lateral view, with its sentence', () => {
    const gate = assessChestFilm(film({ modality: 'CR', viewPosition: 'LL' }), manifest);
    expect(gate.outcome).toBe('refuse');
    expect(gate.findings[0].sentence).toBe('This is a lateral view; the model reads frontal (PA or AP) chest films.');
    expect(checks(film({ seriesDescription: 'CHEST LAT' }))).toEqual(['view-position:refuse']);
  });

  it('refuses a colour image, a CT-like signed 512x512 slice, an 8x8 image and a blank one', () => {
    expect(checks(film({}, 1024, 1024, { samplesPerPixel: 3, photometricInterpretation: 'RGB' }))).toContain(
      'colour:refuse',
    );
    const ct = film({ modality: 'CT', bodyPartExamined: 'CHEST' }, 512, 512, {
      pixelRepresentation: 1,
      rescaleIntercept: -1024,
    });
    expect(assessChestFilm(ct, manifest).findings[0].sentence).toBe(
      'This image is CT; the model reads chest radiographs (CR or DX).',
    );
    expect(checks(film({}, 8, 8))).toEqual(['size:refuse']);
    expect(checks(film({}, 1024, 3000))).toEqual(['aspect-ratio:refuse']);
    const blank = film({}, 512, 512, { pixelData: new Uint16Array(512 * 512).fill(300) });
    expect(checks(blank)).toEqual(['near-constant:refuse']);
    expect(checks(film({ bodyPartExamined: 'HAND' }))).toEqual(['body-part:refuse']);
  });

  it("refuses a 10-year-old's film and cautions its AP view; a site may make age a caution", () => {
    const child = film({
      modality: 'DX',
      viewPosition: 'AP',
      patientAge: '010Y',
      seriesDescription: 'CHEST AP PORTABLE',
    });
    const gate = assessChestFilm(child, manifest);
    expect(gate.outcome).toBe('refuse');
    expect(gate.findings.map((f) => f.sentence)).toEqual([
      'AP portable film: the model was trained mostly on PA films.',
      'The patient is 10 years old; the model is meant for patients 18 and over.',
    ]);
    expect(assessChestFilm(child, manifest, { age: 'caution' }).outcome).toBe('caution');
    expect(assessChestFilm(child, manifest, { age: 'off', 'view-position': 'off' })).toEqual({
      outcome: 'pass',
      findings: [],
    });
  });

  it('cautions an adult AP film and never turns a caution into a refusal', () => {
    const ap = film({ modality: 'DX', viewPosition: 'AP', patientAge: '060Y' });
    expect(assessChestFilm(ap, manifest)).toEqual({
      outcome: 'caution',
      findings: [
        { check: 'view-position', action: 'caution', sentence: 'AP film: the model was trained mostly on PA films.' },
      ],
    });
    expect(assessChestFilm(ap, manifest, { 'view-position': 'refuse' }).outcome).toBe('caution');
  });

  it('reads DICOM ages in years, months, weeks and days', () => {
    expect(patientAgeYears('045Y')).toBe(45);
    expect(patientAgeYears('018M')).toBe(1.5);
    expect(patientAgeYears('002D')).toBeCloseTo(2 / 365.25);
    expect(patientAgeYears('003W')).toBeCloseTo(3 / 52.1775);
    expect(patientAgeYears('')).toBeUndefined();
    expect(patientAgeYears('unknown')).toBeUndefined();
  });
});
