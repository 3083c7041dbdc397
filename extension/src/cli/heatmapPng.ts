import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { colormapRgb, type ColormapName, type Heatmap } from '../engine';

export interface HeatmapPngOptions {
  colormap: ColormapName;
  /** Fraction of full scale below which no colour is drawn. */
  threshold: number;
  opacity: number;
}

/** What is written on the PNG beside the map. */
export interface HeatmapPngLabel {
  /** The finding's display name (the manifest's `displayName`, else the name with spaces). */
  title: string;
  probability: number;
  /** The finding's operating threshold (cut-off) on the probability. */
  cutoff: number;
  /** Demo (untrained) weights: the PNG says so. */
  demo: boolean;
}

export const DEMO_PNG_LABEL = 'DEMO MODEL — untrained weights, not a diagnosis';
export const MODEL_PNG_LABEL = 'AI heatmap — decision support, not a diagnosis';

/**
 * Fonts for the burned-in text, loaded by path (no system font lookup) so the rendering is the same
 * on every machine that has them: Debian's fonts-dejavu-core (.ci/run installs it). CXR_FONT_DIR
 * points elsewhere.
 */
const FONT_DIRS = [process.env.CXR_FONT_DIR, '/usr/share/fonts/truetype/dejavu'].filter(Boolean) as string[];
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

export function fontFiles(): string[] {
  for (const dir of FONT_DIRS) {
    const files = FONT_FILES.map((f) => `${dir}/${f}`);
    if (files.every((f) => existsSync(f))) return files;
  }
  throw new Error(
    `heatmap PNGs need the DejaVu Sans fonts (${FONT_FILES.join(', ')}) in ${FONT_DIRS.join(' or ')}: ` +
      'install fonts-dejavu-core or set CXR_FONT_DIR',
  );
}

/** The finding's name as a reader sees it. */
export function findingDisplayName(name: string, displayName?: string): string {
  return displayName ?? name.replace(/_/g, ' ');
}

/**
 * The radiograph as displayed (intensities in [0, 1]) with one finding's heatmap blended over it,
 * on the same colour scale the viewer uses: 0 to the model's full scale in logit units.
 */
export function heatmapOverlayPng(display: Float32Array, heatmap: Heatmap, options: HeatmapPngOptions): Buffer {
  const png = new PNG({ width: heatmap.columns, height: heatmap.rows });
  const lookup = Array.from({ length: 256 }, (_, i) => colormapRgb(options.colormap, i / 255));
  for (let i = 0; i < heatmap.data.length; i++) {
    const grey = Math.round(display[i] * 255);
    const level = Math.min(1, heatmap.data[i] / heatmap.fullScale);
    const alpha = level >= options.threshold && heatmap.data[i] > 0 ? options.opacity : 0;
    const [r, g, b] = lookup[Math.round(level * 255)];
    png.data[4 * i] = Math.round(grey * (1 - alpha) + r * alpha);
    png.data[4 * i + 1] = Math.round(grey * (1 - alpha) + g * alpha);
    png.data[4 * i + 2] = Math.round(grey * (1 - alpha) + b * alpha);
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

function number(value: number): string {
  return value.toFixed(Math.abs(value) >= 10 ? 0 : 1);
}

/**
 * The film with the heatmap, and below it a caption band: the finding's name, probability and
 * cut-off, a colour legend in logit units (0 to the manifest's `heatmap.fullScaleLogits`, grey where
 * no colour is drawn below the display threshold) and the DEMO / not-a-diagnosis label. Composed as
 * SVG (the overlay PNG embedded as a data URL) and rendered with resvg.
 */
export function heatmapPng(
  display: Float32Array,
  heatmap: Heatmap,
  options: HeatmapPngOptions,
  label: HeatmapPngLabel,
): Buffer {
  const overlay = heatmapOverlayPng(display, heatmap, options);
  const width = heatmap.columns;
  const height = heatmap.rows;
  // Text scales with the image so it reads at the size the PNG is viewed; at least 14 px.
  const unit = Math.max(14, Math.round(Math.min(width, 2 * height) / 40));
  const pad = Math.round(unit * 0.8);
  const band = Math.round(unit * 7.2);
  const fullScale = heatmap.fullScale;
  const cut = Math.min(1, Math.max(0, options.threshold));

  const positive = label.probability >= label.cutoff;
  const line1 = `${label.title}: ${percent(label.probability)}, ${positive ? 'at or above' : 'below'} its cut-off ${percent(label.cutoff)}`;
  const warning = label.demo ? DEMO_PNG_LABEL : MODEL_PNG_LABEL;

  const barX = pad;
  const barWidth = width - 2 * pad;
  const barY = height + Math.round(unit * 3.1);
  const barHeight = Math.round(unit * 0.9);
  const stops = Array.from({ length: 21 }, (_, i) => {
    const t = cut + ((1 - cut) * i) / 20;
    const [r, g, b] = colormapRgb(options.colormap, t);
    return `<stop offset="${(t * 100).toFixed(2)}%" stop-color="rgb(${r},${g},${b})"/>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const x = barX + f * barWidth;
    const anchor = f === 0 ? 'start' : f === 1 ? 'end' : 'middle';
    return (
      `<line x1="${x}" y1="${barY + barHeight}" x2="${x}" y2="${barY + barHeight + unit * 0.3}" stroke="#ddd" stroke-width="1"/>` +
      `<text x="${x}" y="${barY + barHeight + unit * 1.3}" text-anchor="${anchor}" font-size="${unit * 0.8}" fill="#ddd">${number(f * fullScale)}${f === 1 ? '+' : ''}</text>`
    );
  });

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height + band}" viewBox="0 0 ${width} ${height + band}" font-family="DejaVu Sans">
  <defs><linearGradient id="scale" x1="0" y1="0" x2="1" y2="0">${stops.join('')}</linearGradient></defs>
  <image x="0" y="0" width="${width}" height="${height}" xlink:href="data:image/png;base64,${overlay.toString('base64')}"/>
  <rect x="0" y="${height}" width="${width}" height="${band}" fill="#111"/>
  <text x="${pad}" y="${height + unit * 1.25}" font-size="${unit}" font-weight="bold" fill="#fff">${escapeXml(line1)}</text>
  <text x="${pad}" y="${height + unit * 2.5}" font-size="${unit * 0.85}" font-weight="bold" fill="${label.demo ? '#ff9f1c' : '#ffd166'}">${escapeXml(warning)}</text>
  <rect x="${barX}" y="${barY}" width="${barWidth * cut}" height="${barHeight}" fill="#555"/>
  <rect x="${barX + barWidth * cut}" y="${barY}" width="${barWidth * (1 - cut)}" height="${barHeight}" fill="url(#scale)"/>
  <rect x="${barX}" y="${barY}" width="${barWidth}" height="${barHeight}" fill="none" stroke="#ddd" stroke-width="1"/>
  ${ticks.join('\n  ')}
  <text x="${pad}" y="${barY + barHeight + unit * 2.5}" font-size="${unit * 0.75}" fill="#bbb">${escapeXml(
    `Heat in logit units; no colour below ${number(cut * fullScale)}`,
  )}</text>
</svg>`;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}
