import type { ExtensionManager } from '../ohifTypes';

/**
 * One STOW-RS of one Part 10 object through the viewer's own data source (its client, its auth);
 * `request` is the XMLHttpRequest the DICOMweb client should use (so it can be aborted).
 */
export type StoreDicom = (part10: ArrayBuffer, request?: XMLHttpRequest) => Promise<unknown>;

/** Whether the active data source can store, and how (or why not). */
export type PacsStoreAccess = { ok: true; store: StoreDicom; name: string } | { ok: false; reason: string };

interface DataSourceDefinition {
  namespace?: string;
  sourceName?: string;
  configuration?: { friendlyName?: string; staticWado?: boolean };
}

interface DataSourceLike {
  store?: { dicom?: (dataset: ArrayBuffer, request?: XMLHttpRequest) => unknown };
}

/** The host's extension manager, with the data-source calls OHIF 3.13 has. */
export type DataSourceManager = ExtensionManager & {
  getActiveDataSource?(): DataSourceLike[] | undefined;
  getActiveDataSourceDefinition?(): DataSourceDefinition | undefined;
};

/**
 * OHIF's DICOMweb data sources store over STOW-RS (`store.dicom` takes Part 10 bytes as they are).
 * The others only pretend: DICOM JSON logs "not implemented", the local one downloads a file; a
 * static DICOMweb tree has no STOW. So only a DICOMweb source counts as a PACS that can store.
 */
const STORING_SOURCES = /\.dataSourcesModule\.(dicomweb|dicomwebproxy)$/;

export function pacsStoreAccess(extensionManager: ExtensionManager): PacsStoreAccess {
  const manager = extensionManager as DataSourceManager;
  let definition: DataSourceDefinition | undefined;
  let dataSource: DataSourceLike | undefined;
  try {
    definition = manager.getActiveDataSourceDefinition?.();
    dataSource = manager.getActiveDataSource?.()?.[0];
  } catch {
    return { ok: false, reason: 'The viewer has no active data source.' };
  }
  const dicom = dataSource?.store?.dicom;
  if (!definition?.namespace || !STORING_SOURCES.test(definition.namespace) || typeof dicom !== 'function') {
    return {
      ok: false,
      reason: 'This viewer reads images from a source that cannot store results (no DICOMweb PACS).',
    };
  }
  if (definition.configuration?.staticWado) {
    return { ok: false, reason: 'This viewer reads a static DICOMweb tree, which cannot store results.' };
  }
  const name = definition.configuration?.friendlyName ?? definition.sourceName ?? 'the PACS';
  return { ok: true, name, store: async (part10, request) => dicom.call(dataSource?.store, part10, request) };
}

/** Why one store failed, in the words the panel shows. */
export type StoreFailureKind = 'unreachable' | 'refused' | 'server' | 'timeout' | 'build';

export class StoreFailure extends Error {
  constructor(
    readonly kind: StoreFailureKind,
    message: string,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'StoreFailure';
  }
}

/** The HTTP status on a DICOMweb client's error (dicomweb-client sets `status`; 0: no answer). */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A failure of the store call in plain words: unreachable, refused (4xx), failed (5xx), timeout. */
export function storeFailureOf(error: unknown, pacs: string): StoreFailure {
  if (error instanceof StoreFailure) return error;
  const status = statusOf(error);
  const technical = error instanceof Error ? error.message : String(error);
  const details = status !== undefined ? `HTTP ${status}: ${technical}` : technical;
  if (status === undefined || status === 0 || status === 502 || status === 503 || status === 504) {
    return new StoreFailure(
      'unreachable',
      `${pacs} could not be reached, so the result was not stored. It stays here: send it again when the PACS is back.`,
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new StoreFailure(
      'refused',
      `${pacs} refused the result: this viewer is not allowed to store (HTTP ${status}).`,
      details,
    );
  }
  if (status >= 400 && status < 500) {
    return new StoreFailure('refused', `${pacs} refused the result (HTTP ${status}); it was not stored.`, details);
  }
  return new StoreFailure(
    'server',
    `${pacs} failed to store the result (HTTP ${status}). It stays here: send it again later.`,
    details,
  );
}

/** STOW-RS answers 200 with a FailedSOPSequence (0008,1198) when it kept none or only some. */
export function failedInStowAnswer(answer: unknown): boolean {
  if (typeof answer !== 'string' || !answer.includes('00081198')) return false;
  try {
    const parsed = JSON.parse(answer) as Record<string, { Value?: unknown[] }>;
    return (parsed['00081198']?.Value?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

/**
 * Stores one object, giving up after `timeoutMs`: the request is aborted, so the PACS never
 * receives it late behind the reader's back.
 */
export async function storeWithin(
  store: StoreDicom,
  part10: ArrayBuffer,
  { timeoutMs, pacs, newRequest }: { timeoutMs: number; pacs: string; newRequest?: () => XMLHttpRequest | undefined },
): Promise<void> {
  const request = newRequest?.();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      request?.abort();
      const seconds = Math.round(timeoutMs / 1000);
      reject(
        new StoreFailure(
          'timeout',
          `${pacs} did not answer within ${seconds} s, so the result was not stored. Send it again.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([store(part10, request), timeout]);
    if (failedInStowAnswer(answer)) {
      throw new StoreFailure(
        'refused',
        `${pacs} refused to keep the result (its answer lists failed objects).`,
        String(answer),
      );
    }
  } catch (error) {
    throw storeFailureOf(error, pacs);
  } finally {
    clearTimeout(timer);
  }
}
