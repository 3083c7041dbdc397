import type { ResultObject } from '../dicomResults/types';
import type { AnalysisResult } from '../engine';
import type { SendState } from '../types';
import { StoreFailure, storeWithin, type StoreDicom } from './PacsStore';

/** How long one object may take to store before the send is called failed. */
export const STORE_TIMEOUT_MS = 60_000;

export interface ResultSenderDeps {
  onChange(): void;
  now?(): Date;
  timeoutMs?: number;
  /** A fresh XMLHttpRequest per store (the browser); none in Node tests. */
  newRequest?(): XMLHttpRequest | undefined;
}

interface Attempt {
  state: SendState;
  /** Built once per result: a resend after a failure sends the same objects, never a second set. */
  objects?: ResultObject[];
  /** SOP Instance UIDs the PACS has accepted already. */
  stored: Set<string>;
  inFlight?: Promise<void>;
}

/** What one send needs: how to build the objects (on first use) and where to store them. */
export interface SendRequest {
  build(): Promise<ResultObject[]>;
  store: StoreDicom;
  pacs: string;
}

/**
 * Sends a result's DICOM objects to the PACS and keeps where each result stands (sending, sent,
 * failed). A result is sent at most once: a second click while sending joins the send in flight,
 * and a sent result is not sent again. The SR goes last, so an SR in the PACS always has its maps.
 */
export class ResultSender {
  private readonly attempts = new WeakMap<AnalysisResult, Attempt>();

  constructor(private readonly deps: ResultSenderDeps) {}

  stateOf(result: AnalysisResult | undefined): SendState | undefined {
    return result ? this.attempts.get(result)?.state : undefined;
  }

  send(result: AnalysisResult, request: SendRequest): Promise<void> {
    const known = this.attempts.get(result);
    if (known?.inFlight) return known.inFlight;
    if (known?.state.status === 'sent') return Promise.resolve();
    const attempt: Attempt = known ?? { state: { status: 'sending', sent: 0, total: 0 }, stored: new Set() };
    this.attempts.set(result, attempt);
    attempt.inFlight = this.work(attempt, request).finally(() => {
      attempt.inFlight = undefined;
      this.deps.onChange();
    });
    return attempt.inFlight;
  }

  private async work(attempt: Attempt, { build, store, pacs }: SendRequest): Promise<void> {
    attempt.state = { status: 'sending', sent: attempt.stored.size, total: attempt.objects?.length ?? 0 };
    this.deps.onChange();
    try {
      attempt.objects ??= srLast(await this.built(build));
      const { objects } = attempt;
      for (const object of objects) {
        if (attempt.stored.has(object.sopInstanceUid)) continue;
        attempt.state = { status: 'sending', sent: attempt.stored.size, total: objects.length };
        this.deps.onChange();
        await storeWithin(store, object.part10, {
          timeoutMs: this.deps.timeoutMs ?? STORE_TIMEOUT_MS,
          pacs,
          newRequest: this.deps.newRequest,
        });
        attempt.stored.add(object.sopInstanceUid);
      }
      const series = [...new Set(objects.map((o) => o.seriesInstanceUid))];
      const bytes = objects.reduce((sum, o) => sum + o.part10.byteLength, 0);
      attempt.state = {
        status: 'sent',
        at: (this.deps.now?.() ?? new Date()).toISOString(),
        pacs,
        seriesInstanceUids: series,
        objects: objects.length,
        bytes,
      };
    } catch (error) {
      const failure = error instanceof StoreFailure ? error : new StoreFailure('build', String(error));
      console.error('[chest-xray-ai] sending the result failed', error);
      attempt.state = {
        status: 'failed',
        kind: failure.kind,
        message: failure.message,
        ...(failure.details ? { details: failure.details } : {}),
        stored: attempt.stored.size,
      };
    }
  }

  private async built(build: () => Promise<ResultObject[]>): Promise<ResultObject[]> {
    try {
      const objects = await build();
      if (objects.length === 0) throw new Error('no objects were built');
      return objects;
    } catch (error) {
      const technical = error instanceof Error ? error.message : String(error);
      throw new StoreFailure('build', 'The result could not be written as DICOM, so nothing was sent.', technical);
    }
  }
}

/** Maps and captures first, the SR (which points at them) last. */
function srLast(objects: ResultObject[]): ResultObject[] {
  return [...objects.filter((o) => o.kind !== 'sr'), ...objects.filter((o) => o.kind === 'sr')];
}
