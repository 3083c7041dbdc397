import { Resvg } from '@resvg/resvg-js';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite/build/index';
import type { RocPoint } from './statistics';

export interface RocSeries {
  finding: string;
  auc: number;
  curve: RocPoint[];
  /** The manifest's operating point: 1 - specificity and sensitivity at its threshold. */
  operatingPoint?: { fpr: number; tpr: number; threshold: number };
}

// vega and vega-lite ship as ES modules only (with top-level await): loaded by a real import(),
// which the CommonJS build would otherwise turn into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** At most this many points per curve in the figure (every k-th kept, corners always). */
const MAX_POINTS = 2000;

function thin(curve: RocPoint[]): RocPoint[] {
  if (curve.length <= MAX_POINTS) return curve;
  const step = Math.ceil(curve.length / MAX_POINTS);
  return curve.filter((_, i) => i % step === 0 || i === curve.length - 1);
}

/** A vega-lite spec: one ROC curve per finding (legend with its AUROC), its operating point marked. */
export function rocSpec(series: readonly RocSeries[], title: string): VegaLite.TopLevelSpec {
  const label = (s: RocSeries) => `${s.finding} (AUROC ${s.auc.toFixed(3)})`;
  const order = series.map(label);
  const curves = series.flatMap((s) => thin(s.curve).map((p, i) => ({ finding: label(s), fpr: p.fpr, tpr: p.tpr, i })));
  const points = series.flatMap((s) =>
    s.operatingPoint ? [{ finding: label(s), fpr: s.operatingPoint.fpr, tpr: s.operatingPoint.tpr }] : [],
  );
  const axis = (field: string, title: string) => ({
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain: [0, 1] },
  });
  const x = axis('fpr', '1 - specificity (false positive rate)');
  const y = axis('tpr', 'Sensitivity (true positive rate)');
  const color = {
    field: 'finding',
    type: 'nominal',
    title: 'Finding',
    sort: order,
    scale: { scheme: 'tableau20' },
    legend: { labelLimit: 320 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'circles: the manifest operating threshold', anchor: 'start' },
    width: 520,
    height: 520,
    background: 'white',
    layer: [
      {
        data: {
          values: [
            { fpr: 0, tpr: 0 },
            { fpr: 1, tpr: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
        encoding: { x, y },
      },
      {
        data: { values: curves },
        mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.6 },
        encoding: { x, y, color, order: { field: 'i', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, stroke: 'black', strokeWidth: 0.8, opacity: 1 },
        encoding: { x, y, color },
      },
    ],
  };
}

/** The figure as SVG (vega's headless renderer) and PNG (resvg), from the same spec. */
export async function renderRocFigure(
  series: readonly RocSeries[],
  title: string,
): Promise<{ svg: string; png: Buffer }> {
  const vega = (await importEsm('vega')) as typeof Vega;
  const vegaLite = (await importEsm('vega-lite')) as typeof VegaLite;
  const compiled = vegaLite.compile(rocSpec(series, title)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG(2);
    const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}
