import { dicomDateTime, ds, fitLo, isoFromDicom, studyModules } from './attributes';
import type { SourceImage } from './types';
import { findingCode, LOCAL_SCHEME } from './codes';
import { newUid, uidFromSha256 } from './uids';

describe('DS text', () => {
  it('keeps as many digits as 16 characters hold', () => {
    for (const value of [0.8321234583854675, 1 / 3, 102.4, 1e-7, -0.000123456789123, 4.571428571428571]) {
      const text = ds(value);
      expect(text.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-10);
    }
    expect(ds(7)).toBe('7');
  });
});

describe('dates', () => {
  it('writes UTC DA/TM and reads them back to the same instant', () => {
    const now = new Date('2026-03-04T05:06:07.089Z');
    const { date, time } = dicomDateTime(now);
    expect({ date, time }).toEqual({ date: '20260304', time: '050607.089' });
    expect(new Date(isoFromDicom(date, time, '+0000')).getTime()).toBe(now.getTime());
    expect(new Date(isoFromDicom('20260304', '0506', '-0130')).toISOString()).toBe('2026-03-04T06:36:00.000Z');
  });
});

describe('LO text', () => {
  it('is cut to 64 bytes of UTF-8, not 64 characters', () => {
    const text = fitLo(`${'—'.repeat(30)}`);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(64);
    expect(text).toBe('—'.repeat(21));
  });
});

describe('UIDs', () => {
  it('are new 2.25 UIDs of at most 64 characters', () => {
    const uids = new Set(Array.from({ length: 200 }, newUid));
    expect(uids.size).toBe(200);
    for (const uid of uids) expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
  });

  it('give one model one device UID', () => {
    const sha = 'b23f9229c39380bdb5e45a84fd0b36a57d17e951d4b9a9752b747ded3361159f';
    expect(uidFromSha256(sha)).toBe(uidFromSha256(sha));
    expect(uidFromSha256(sha)).not.toBe(uidFromSha256(sha.replace('b2', 'c2')));
  });
});

describe('finding codes', () => {
  it('use SNOMED CT where known and the local scheme, within 16 characters, otherwise', () => {
    expect(findingCode('Cardiomegaly', 'Cardiomegaly')).toMatchObject({
      CodeValue: '8186001',
      CodingSchemeDesignator: 'SCT',
    });
    expect(findingCode('Pleural_Thickening', 'Pleural thickening')).toEqual({
      CodeValue: 'PLEURALTHICK',
      CodingSchemeDesignator: LOCAL_SCHEME,
      CodeMeaning: 'Pleural thickening',
    });
    expect(findingCode('Some_very_long_site_finding', 'Site finding').CodeValue).toBe('SOMEVERYLONGSITE');
  });
});

describe('copied patient and study attributes', () => {
  const source = (attributes: Record<string, unknown>): SourceImage => ({
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: '1.2.3.4',
    sopInstanceUid: '1.2.3.4.5',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
    frameNumber: 1,
    rows: 10,
    columns: 10,
    modality: 'CR',
    attributes,
  });

  test('valid values are copied as they are', () => {
    const out = studyModules(
      source({ PatientAge: '062Y', PatientSex: 'F', StudyDate: '20170101', StudyTime: '101500.25', PatientID: 'p1' }),
    );
    expect(out).toMatchObject({
      PatientAge: '062Y',
      PatientSex: 'F',
      StudyDate: '20170101',
      StudyTime: '101500.25',
      PatientID: 'p1',
    });
  });

  test('a value the source wrote against its VR is not copied (Type 2 empty, Type 3 absent)', () => {
    // A real SIIM file carries PatientAge "62" (AS must be nnnY): copying it failed dciodvfy.
    const out = studyModules(source({ PatientAge: '62', PatientSex: 'female', StudyDate: '2017-01-01' }));
    expect(out).not.toHaveProperty('PatientAge');
    expect(out.PatientSex).toBe('');
    expect(out.StudyDate).toBe('');
  });

  test('a text longer than its VR allows is not copied (LO 64 bytes, SH 16)', () => {
    const out = studyModules(
      source({ StudyDescription: 'x'.repeat(65), AccessionNumber: 'A'.repeat(17), StudyID: 'S1' }),
    );
    expect(out).not.toHaveProperty('StudyDescription');
    expect(out.AccessionNumber).toBe('');
    expect(out.StudyID).toBe('S1');
    expect(studyModules(source({ StudyDescription: 'x'.repeat(64) })).StudyDescription).toBe('x'.repeat(64));
  });
});
