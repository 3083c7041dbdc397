/** The caption band of a heatmap capture, as SVG: name, score against cut-off, legend, labels. */
import type { FindingResult } from '../engine';
import { DEMO_LABEL, NOT_A_DIAGNOSIS } from './attributes';

export interface CaptionInput {
  width: number;
  imageHeight: number;
  title: string;
  finding: FindingResult;
  fullScale: number;
  threshold: number;
  hue: readonly [number, number, number];
  demo: boolean;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const number = (v: number) => v.toFixed(Math.abs(v) >= 10 ? 0 : 1);
const rgb = (h: readonly number[], f: number) => `rgb(${h.map((c) => Math.round(255 * c * f)).join(',')})`;

/** Band height for a capture `width` wide over an image `imageHeight` tall. */
export function captionHeight(width: number, imageHeight: number): number {
  return Math.round(unitOf(width, imageHeight) * 7.4);
}

function unitOf(width: number, imageHeight: number) {
  return Math.max(12, Math.round(Math.min(width, 2 * imageHeight) / 42));
}

/** The SVG (width x imageHeight + band, transparent above the band) drawn over the blended film. */
export function captionSvg(c: CaptionInput): string {
  const unit = unitOf(c.width, c.imageHeight);
  const band = captionHeight(c.width, c.imageHeight);
  const height = c.imageHeight + band;
  const pad = Math.round(unit * 0.8);
  const positive = c.finding.probability >= c.finding.threshold;
  const line1 = `${c.title}: ${percent(c.finding.probability)}, ${positive ? 'at or above' : 'below'} its cut-off ${percent(c.finding.threshold)}`;
  const warning = c.demo ? `${DEMO_LABEL.toUpperCase()}` : NOT_A_DIAGNOSIS;
  const barX = pad;
  const barWidth = c.width - 2 * pad;
  const barY = c.imageHeight + Math.round(unit * 3.2);
  const barHeight = Math.round(unit * 0.9);
  const cut = c.threshold;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const x = barX + f * barWidth;
    const anchor = f === 0 ? 'start' : f === 1 ? 'end' : 'middle';
    return `<text x="${x}" y="${barY + barHeight + unit * 1.1}" text-anchor="${anchor}" font-size="${unit * 0.8}" fill="#ddd">${number(f * c.fullScale)}${f === 1 ? '+' : ''}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${height}" viewBox="0 0 ${c.width} ${height}" font-family="DejaVu Sans">
  <defs><linearGradient id="scale" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="${rgb(c.hue, 0.7 + 0.3 * cut)}"/><stop offset="1" stop-color="${rgb(c.hue, 1)}"/></linearGradient></defs>
  <rect x="0" y="${c.imageHeight}" width="${c.width}" height="${band}" fill="#111"/>
  <text x="${pad}" y="${c.imageHeight + unit * 1.25}" font-size="${unit}" font-weight="bold" fill="#fff">${escapeXml(line1)}</text>
  <text x="${pad}" y="${c.imageHeight + unit * 2.5}" font-size="${unit * 0.85}" font-weight="bold" fill="${c.demo ? '#ff9f1c' : '#ffd166'}">${escapeXml(warning)}</text>
  <rect x="${barX}" y="${barY}" width="${barWidth * cut}" height="${barHeight}" fill="#555"/>
  <rect x="${barX + barWidth * cut}" y="${barY}" width="${barWidth * (1 - cut)}" height="${barHeight}" fill="url(#scale)"/>
  <rect x="${barX}" y="${barY}" width="${barWidth}" height="${barHeight}" fill="none" stroke="#ddd" stroke-width="1"/>
  ${ticks.join('\n  ')}
  <text x="${pad}" y="${barY + barHeight + unit * 2.3}" font-size="${unit * 0.72}" fill="#bbb">${escapeXml(
    `Heat: class activation in logit units; no colour below ${number(cut * c.fullScale)}. Not a diagnosis.`,
  )}</text>
</svg>`;
}
