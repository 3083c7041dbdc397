import type { ResultObject } from '../dicomResults/types';
import type { AnalysisResult } from '../engine';
import type { SendState } from '../types';
import { failedInStowAnswer, pacsStoreAccess, storeFailureOf, type StoreDicom } from './PacsStore';
import { ResultSender } from './ResultSender';

const object = (kind: ResultObject['kind'], uid: string, bytes = 10): ResultObject => ({
  kind,
  sopClassUid: 'x',
  sopInstanceUid: uid,
  seriesInstanceUid: `series-${kind}`,
  findings: [],
  part10: new ArrayBuffer(bytes),
});

/** A PACS stand-in: records what it receives, answers as told per call. */
function fakePacs(answer: (call: number, uid: string) => Promise<unknown> = () => Promise.resolve('')) {
  const received: string[] = [];
  const byBytes = new Map<ArrayBuffer, string>();
  const store: StoreDicom = (part10) => {
    const uid = byBytes.get(part10) ?? '?';
    received.push(uid);
    return answer(received.length, uid);
  };
  const objects = [object('sr', 'sr-1'), object('parametric-map', 'pm-1', 40), object('secondary-capture', 'sc-1', 30)];
  for (const o of objects) byBytes.set(o.part10, o.sopInstanceUid);
  return { received, store, objects };
}

/** Results are told apart by identity only here: a bare one will do. */
const aResult = () => ({ imageKey: 'img' }) as AnalysisResult;

const httpError = (status: number) => Object.assign(new Error('request failed'), { status });

describe('ResultSender', () => {
  let changes: number;
  const sender = (timeoutMs = 5_000) =>
    new ResultSender({ onChange: () => void changes++, now: () => new Date('2026-12-01T11:30:00Z'), timeoutMs });
  /** Failed sends are logged for the administrator (and kept out of the test output). */
  let logged: jest.SpyInstance;
  beforeEach(() => {
    changes = 0;
    logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('sends the maps and captures before the SR, and reports when, how much and which series', async () => {
    const pacs = fakePacs();
    const s = sender();
    const result = aResult();
    let builds = 0;
    await s.send(result, { pacs: 'Orthanc', store: pacs.store, build: async () => (builds++, pacs.objects) });
    expect(pacs.received).toEqual(['pm-1', 'sc-1', 'sr-1']);
    expect(s.stateOf(result)).toEqual<SendState>({
      status: 'sent',
      at: '2026-12-01T11:30:00.000Z',
      pacs: 'Orthanc',
      seriesInstanceUids: ['series-parametric-map', 'series-secondary-capture', 'series-sr'],
      objects: 3,
      bytes: 80,
    });
    expect(changes).toBeGreaterThan(0);
    // Sent: a later click sends nothing.
    await s.send(result, { pacs: 'Orthanc', store: pacs.store, build: async () => (builds++, pacs.objects) });
    expect(pacs.received).toHaveLength(3);
    expect(builds).toBe(1);
  });

  it('a second click while sending joins the send in flight: each object reaches the PACS once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pacs = fakePacs(() => gate);
    const s = sender();
    const result = aResult();
    const request = { pacs: 'P', store: pacs.store, build: async () => pacs.objects };
    const one = s.send(result, request);
    const two = s.send(result, request);
    expect(two).toBe(one);
    await Promise.resolve();
    expect(s.stateOf(result)?.status).toBe('sending');
    release();
    await Promise.all([one, two]);
    expect(pacs.received).toEqual(['pm-1', 'sc-1', 'sr-1']);
  });

  it('after a refusal the result stays sendable; the resend sends the same objects, only those not stored yet', async () => {
    let fail = true;
    const pacs = fakePacs((call) => (fail && call === 2 ? Promise.reject(httpError(500)) : Promise.resolve('')));
    const s = sender();
    const result = aResult();
    let builds = 0;
    const request = { pacs: 'Orthanc', store: pacs.store, build: async () => (builds++, pacs.objects) };
    await s.send(result, request);
    const failed = s.stateOf(result);
    expect(failed).toMatchObject({ status: 'failed', kind: 'server', stored: 1 });
    expect(failed?.status === 'failed' && failed.message).toMatch(/Orthanc failed to store the result \(HTTP 500\)/);
    fail = false;
    await s.send(result, request);
    expect(s.stateOf(result)?.status).toBe('sent');
    expect(pacs.received).toEqual(['pm-1', 'sc-1', 'sc-1', 'sr-1']);
    expect(builds).toBe(1);
  });

  it('gives up on a PACS that does not answer, aborting the request', async () => {
    const pacs = fakePacs(() => new Promise(() => undefined));
    const aborted: boolean[] = [];
    const s = new ResultSender({
      onChange: () => undefined,
      timeoutMs: 30,
      newRequest: () => ({ abort: () => aborted.push(true) }) as unknown as XMLHttpRequest,
    });
    const result = aResult();
    await s.send(result, { pacs: 'P', store: pacs.store, build: async () => pacs.objects });
    expect(s.stateOf(result)).toMatchObject({ status: 'failed', kind: 'timeout', stored: 0 });
    expect(logged).toHaveBeenCalled();
    expect(aborted).toEqual([true]);
  });

  it('a result that cannot be written as DICOM sends nothing and says so', async () => {
    const pacs = fakePacs();
    const s = sender();
    const result = aResult();
    await s.send(result, {
      pacs: 'P',
      store: pacs.store,
      build: () => Promise.reject(new Error('no SOPInstanceUID')),
    });
    expect(s.stateOf(result)).toMatchObject({ status: 'failed', kind: 'build', details: 'no SOPInstanceUID' });
    expect(pacs.received).toEqual([]);
    expect(logged).toHaveBeenCalledTimes(1);
  });
});

describe('PACS errors in plain words', () => {
  it.each([
    [0, 'unreachable', /could not be reached/],
    [502, 'unreachable', /could not be reached/],
    [403, 'refused', /not allowed to store/],
    [409, 'refused', /refused the result \(HTTP 409\)/],
    [500, 'server', /failed to store the result \(HTTP 500\)/],
  ])('HTTP %i: %s', (status, kind, words) => {
    const failure = storeFailureOf(httpError(status), 'Orthanc');
    expect(failure.kind).toBe(kind);
    expect(failure.message).toMatch(words);
    expect(failure.details).toContain(`HTTP ${status}`);
  });

  it('an answer listing failed SOP instances is a refusal; a clean answer is not', () => {
    expect(failedInStowAnswer(JSON.stringify({ '00081198': { vr: 'SQ', Value: [{}] } }))).toBe(true);
    expect(failedInStowAnswer(JSON.stringify({ '00081199': { vr: 'SQ', Value: [{}] } }))).toBe(false);
    expect(failedInStowAnswer(undefined)).toBe(false);
  });
});

describe('pacsStoreAccess', () => {
  const manager = (namespace: string, configuration: Record<string, unknown> = {}) => {
    const calls: unknown[] = [];
    const dataSource = { store: { dicom: (bytes: unknown) => void calls.push(bytes) } };
    return {
      calls,
      manager: {
        getModuleEntry: () => undefined,
        getActiveDataSource: () => [dataSource],
        getActiveDataSourceDefinition: () => ({ namespace, sourceName: 'orthanc', configuration }),
      },
    };
  };

  it("stores through a DICOMweb data source's own store.dicom, the bytes as they are", async () => {
    const { manager: m, calls } = manager('@ohif/extension-default.dataSourcesModule.dicomweb', {
      friendlyName: 'Orthanc',
    });
    const access = pacsStoreAccess(m);
    expect(access.ok && access.name).toBe('Orthanc');
    const bytes = new ArrayBuffer(4);
    if (access.ok) await access.store(bytes);
    expect(calls).toEqual([bytes]);
  });

  it('is off for DICOM JSON (whose store only logs), local files and static DICOMweb', () => {
    expect(pacsStoreAccess(manager('@ohif/extension-default.dataSourcesModule.dicomjson').manager).ok).toBe(false);
    expect(pacsStoreAccess(manager('@ohif/extension-default.dataSourcesModule.dicomlocal').manager).ok).toBe(false);
    const staticWado = manager('@ohif/extension-default.dataSourcesModule.dicomweb', { staticWado: true });
    expect(pacsStoreAccess(staticWado.manager).ok).toBe(false);
  });
});
