/**
 * Which PACS the demo reads from, and what app-config.js says about it: none (the embedded
 * dicomjson study), an existing DICOMweb server (PACS_URL or a test's Orthanc), or a private
 * Orthanc that `npm start` starts when Debian's orthanc + orthanc-dicomweb are installed.
 */
import * as path from 'node:path';
import { orthancAvailable, orthancServing, startOrthanc, type OrthancProcess } from './orthanc';
import type { PacsTarget } from './proxy';
import { storeDemoStudy } from './stow';

/** 'off': the embedded demo; 'auto': PACS_URL, else a private Orthanc if installed, else off. */
export type PacsOption = 'off' | 'auto' | PacsTarget;

export interface DemoPacs {
  target?: PacsTarget;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_ORTHANC_STORAGE = path.join(ROOT, '.cache', 'orthanc');

/** Said in the console and (app-config `chestXrayAi.storeResultsOffHint`) in the panel. */
export const STORE_RESULTS_OFF_HINT =
  'Storing results is off: this demo has no PACS. Install Orthanc (apt-get install orthanc orthanc-dicomweb) ' +
  'and run npm start again, or set PACS_URL to a DICOMweb server.';

const none: DemoPacs = { stop: async () => undefined };

/** Resolves 'auto' (starting Orthanc and storing the demo study as needed). */
export async function resolveDemoPacs(option: PacsOption = 'off', log: (line: string) => void): Promise<DemoPacs> {
  if (option === 'off') return none;
  if (option !== 'auto') return { target: option, stop: none.stop };
  const fromEnv = process.env.PACS_URL;
  if (fromEnv) {
    const target = { url: fromEnv.replace(/\/+$/, '') };
    try {
      const { sent } = await storeDemoStudy(target.url);
      if (sent) log(`[demo] stored the demo study (${sent} instances) in ${target.url} over STOW-RS`);
    } catch (error) {
      log(`[demo] could not store the demo study in ${target.url}: ${String(error)}`);
    }
    return { target, stop: none.stop };
  }
  if (!orthancAvailable()) return none;
  const serving = await orthancServing(DEMO_ORTHANC_STORAGE);
  if (serving) {
    log(`[demo] using the Orthanc another npm start runs at ${serving} (it stops with that one)`);
    return { target: { url: `${serving}/dicom-web` }, stop: none.stop };
  }
  let orthanc: OrthancProcess | undefined;
  try {
    orthanc = await startOrthanc({ storageDir: DEMO_ORTHANC_STORAGE });
    const { sent, present } = await storeDemoStudy(orthanc.dicomWebUrl);
    log(
      `[demo] Orthanc at ${orthanc.url}: demo study ${sent ? `stored (${sent} instances, STOW-RS)` : `present (${present} instances)`}`,
    );
  } catch (error) {
    // The quick start must not break on a PACS (e.g. a second npm start holding its storage).
    await orthanc?.stop();
    log(`[demo] Orthanc is installed but could not be used, so no PACS this time: ${String(error)}`);
    return none;
  }
  return {
    target: { url: orthanc.dicomWebUrl },
    stop: orthanc.stop,
  };
}

/** OHIF's standard DICOMweb data source, through the demo server's same-origin proxy. */
export const PACS_DATA_SOURCE = {
  namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
  sourceName: 'orthanc',
  configuration: {
    friendlyName: 'PACS (DICOMweb)',
    name: 'orthanc',
    wadoUriRoot: '/wado',
    qidoRoot: '/dicom-web',
    wadoRoot: '/dicom-web',
    qidoSupportsIncludeField: false,
    imageRendering: 'wadors',
    thumbnailRendering: 'wadors',
    enableStudyLazyLoad: true,
    supportsFuzzyMatching: false,
    supportsWildcard: true,
    dicomUploadEnabled: true,
    omitQuotationForMultipartRequest: true,
  },
};

/** The app-config.js values that depend on the PACS. */
export function pacsAppConfig(on: boolean) {
  return {
    dataSources: on ? [PACS_DATA_SOURCE] : [],
    defaultDataSource: on ? PACS_DATA_SOURCE.sourceName : 'dicomjson',
    showStudyList: on,
    storeResultsOffHint: on ? undefined : STORE_RESULTS_OFF_HINT,
  };
}
