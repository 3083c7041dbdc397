/**
 * Measuring the demo viewer from outside (the memory e2e test and the viewer bench): an init
 * script that records, in the page's own clock, main-thread long tasks, the first rendered image
 * and the moment the panel shows each image's result; CDP heap and listener figures after GC; and
 * the reader's moves (switch image, show a heatmap) with the time each took to show.
 */
import type { CDPSession, Page } from 'playwright-core';

/* eslint-disable @typescript-eslint/no-explicit-any -- in-page code reads OHIF's window globals */
type ProbeWindow = Window & {
  services: any;
  extensionManager: any;
  commandsManager: any;
  __cxrProbe: {
    longTasks: { start: number; duration: number }[];
    firstImageRendered?: number;
    /** performance.now() when the panel first showed status done for an image key. */
    shown: Record<string, number>;
  };
};

/**
 * Runs before any of the page's scripts (page.addInitScript). Cornerstone's events do not bubble,
 * so the image-rendered listener sits on the document in the capture phase.
 */
export function inPageInstallProbes(): void {
  const w = window as unknown as ProbeWindow;
  const probe: ProbeWindow['__cxrProbe'] = { longTasks: [], shown: {} };
  w.__cxrProbe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const onRendered = () => {
    probe.firstImageRendered ??= performance.now();
    document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
  };
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
  const look = () => {
    const panel = document.querySelector('[data-testid=cxrai-panel]');
    const key = panel?.getAttribute('data-image-key');
    if (key && panel?.getAttribute('data-analysis-status') === 'done' && probe.shown[key] === undefined)
      probe.shown[key] = performance.now();
  };
  const start = () =>
    new MutationObserver(look).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-analysis-status', 'data-image-key'],
    });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

export interface PageTimes {
  firstImageRendered?: number;
  shown: Record<string, number>;
  longTasks: { start: number; duration: number }[];
}

export const pageTimes = (page: Page): Promise<PageTimes> =>
  page.evaluate(() => (window as unknown as ProbeWindow).__cxrProbe);

/** Long tasks that overlap [from, to] (page clock): how many, the longest. */
export function longTasksBetween(times: PageTimes, from: number, to: number): { count: number; maxMs: number } {
  const inside = times.longTasks.filter((t) => t.start < to && t.start + t.duration > from);
  return { count: inside.length, maxMs: Math.max(0, ...inside.map((t) => t.duration)) };
}

/** Waits until the panel shows a done analysis (of `imageKey`, when given). */
export async function waitForDone(page: Page, imageKey?: string, timeout = 180_000): Promise<void> {
  await page.waitForFunction(
    (key) => {
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      return (
        panel?.getAttribute('data-analysis-status') === 'done' && (!key || panel.getAttribute('data-image-key') === key)
      );
    },
    imageKey,
    { timeout, polling: 50 },
  );
}

/** The display sets of the study in series order, each with the SOP Instance UID of its image. */
export const displaySets = (page: Page): Promise<{ uid: string; sop: string }[]> =>
  page.evaluate(() => {
    const w = window as unknown as ProbeWindow;
    return w.services.displaySetService
      .getActiveDisplaySets()
      .slice()
      .sort((a: any, b: any) => Number(a.SeriesNumber) - Number(b.SeriesNumber))
      .map((d: any) => ({ uid: d.displaySetInstanceUID, sop: d.instances[0].SOPInstanceUID }));
  });

/** Puts a display set in the active viewport (as a thumbnail double-click does); returns the page time. */
export const showDisplaySet = (page: Page, uid: string): Promise<number> =>
  page.evaluate((u) => {
    const w = window as unknown as ProbeWindow;
    const viewportId = w.services.viewportGridService.getActiveViewportId();
    const t0 = performance.now();
    w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [u] });
    return t0;
  }, uid);

/** The service's state, the parts measurements read. */
export const serviceState = (
  page: Page,
): Promise<{
  analysisStatus: string;
  imageKey?: string;
  findings: string[];
  emptyMaps: string[];
  drawn: string[];
  timingsMs?: { prepareMs: number; inferenceMs: number; totalMs: number };
  startup?: Record<string, unknown>;
  backend?: string;
  listenerCounts?: Record<string, number>;
}> =>
  page.evaluate(() => {
    const service = (window as unknown as ProbeWindow).services.chestXrayAiService;
    const s = service.getState();
    const model = s.model as Record<string, unknown>;
    return {
      analysisStatus: s.analysis.status,
      imageKey: s.active?.imageKey,
      findings: (s.result?.findings ?? []).map((f: { name: string }) => f.name),
      emptyMaps: s.emptyMaps ?? [],
      drawn: s.drawn ?? [],
      timingsMs: s.result?.timingsMs,
      startup: (model.startup ?? model.timings) as Record<string, unknown> | undefined,
      backend: typeof model.backend === 'string' ? model.backend : undefined,
      listenerCounts: service.listenerCounts ? { ...service.listenerCounts } : undefined,
    };
  });

/**
 * Shows (or hides) findings' heatmaps and resolves with the ms from the command to the first
 * rendered frame on which the service reports all `findings` drawn or empty (NaN if none comes
 * within 20 s).
 */
export const showHeatmaps = (page: Page, findings: string[], visible = true): Promise<number> =>
  page.evaluate(
    ({ list, on }) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as ProbeWindow;
        const service = w.services.chestXrayAiService;
        // A map with nothing above the display threshold is reported empty and not drawn.
        const done = () => {
          const { drawn = [], emptyMaps = [] } = service.getState() as { drawn?: string[]; emptyMaps?: string[] };
          return list.every((f) => (on ? drawn.includes(f) || emptyMaps.includes(f) : !drawn.includes(f)));
        };
        const changing = !done();
        const t0 = performance.now();
        const onRendered = () => {
          if (!done()) return;
          document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        for (const finding of list) w.commandsManager.runCommand('chestXrayAiShowHeatmap', { finding, visible: on });
        if (!changing) return resolve(0); // already as asked: nothing to draw
        document.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
        const timer = setTimeout(() => {
          document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
          resolve(NaN);
        }, 20_000);
      }),
    { list: findings, on: visible },
  );

export interface MemoryFigures {
  /** V8 heap in use after a full GC (CDP Performance.getMetrics JSHeapUsedSize), bytes. */
  heapUsed: number;
  /**
   * The same heap less V8's compiled code (heap snapshot, nodes of type `code`), bytes: what the
   * page's objects hold. Measured: between switches 60 and 100 the heap grew 730 KB, of which
   * ~680 KB was optimised code (InstructionStream, deoptimisation data) that V8's tiering adds
   * and its bytecode flushing drops over time; no object group grew with the switches.
   */
  objectsHeap: number;
  /** ArrayBuffer backing stores outside the V8 heap (CDP Runtime.getHeapUsage), bytes, where reported. */
  backingStores?: number;
  /** Event listeners in the page (JSEventListeners). */
  listeners: number;
  /** DOM nodes (Nodes). */
  nodes: number;
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Garbage-collects the page until two readings in a row agree within 1% (V8 also drops bytecode
 * of functions unused over several GCs, so one pass can leave start-up code counted), then reads
 * its memory: the median of 3 readings, each after one more GC.
 */
export async function memoryAfterGc(cdp: CDPSession): Promise<MemoryFigures> {
  const readMetrics = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  };
  let previous = (await readMetrics())('JSHeapUsedSize');
  for (let pass = 0; pass < 12; pass++) {
    const heap = (await readMetrics())('JSHeapUsedSize');
    if (Math.abs(heap - previous) <= 0.01 * previous) break;
    previous = heap;
  }
  const readings = [];
  for (let i = 0; i < 3; i++) readings.push(await readMetrics());
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  const code: number[] = [];
  for (let i = 0; i < 3; i++) code.push(await compiledCodeBytes(cdp));
  const heapUsed = median(readings.map((m) => m('JSHeapUsedSize')));
  return {
    heapUsed,
    objectsHeap: heapUsed - median(code),
    backingStores: usage.backingStorageSize,
    listeners: median(readings.map((m) => m('JSEventListeners'))),
    nodes: median(readings.map((m) => m('Nodes'))),
  };
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
}

/** Bytes of V8's compiled code in the page's heap (heap snapshot, nodes of type `code`, after a GC). */
async function compiledCodeBytes(cdp: CDPSession): Promise<number> {
  const chunks: string[] = [];
  const onChunk = (event: { chunk: string }) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const { snapshot, nodes } = JSON.parse(chunks.join('')) as HeapSnapshot;
  const fields = snapshot.meta.node_fields;
  const [typeAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('self_size')];
  const codeType = snapshot.meta.node_types[0].indexOf('code');
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length) if (nodes[i + typeAt] === codeType) bytes += nodes[i + sizeAt];
  return bytes;
}

/** A CDP session on the page with the Performance domain on. */
export async function memoryProbe(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}
