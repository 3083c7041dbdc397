import { Resvg } from '@resvg/resvg-js';
import type { SvgRasterizer } from '../dicomResults';
import { fontFiles } from './heatmapPng';

/**
 * The Node SVG rasteriser for the captures' text (the browser's uses a canvas): resvg with the
 * DejaVu fonts loaded by path, straight (not premultiplied) RGBA on a transparent background.
 */
export const rasterizeSvgNode: SvgRasterizer = async (svg, width, height) => {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    background: 'rgba(0,0,0,0)',
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  if (image.width !== width || image.height !== height) {
    throw new Error(`resvg drew ${image.width}x${image.height}, not ${width}x${height}`);
  }
  return new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength);
};
