import type { SvgRasterizer } from '../dicomResults/types';

/**
 * The browser's SvgRasterizer for the burned-in captures: the SVG drawn as an image onto a canvas
 * (an OffscreenCanvas where there is one) and read back as RGBA. The SVG is a blob URL of this
 * page, so the canvas stays readable; nothing leaves the browser.
 */
export const rasterizeSvgInBrowser: SvgRasterizer = async (svg, width, height) => {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image(width, height);
    image.src = url;
    await image.decode();
    const context = drawingContext(width, height);
    context.clearRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } finally {
    URL.revokeObjectURL(url);
  }
};

type Context2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function drawingContext(width: number, height: number): Context2d {
  const canvas: OffscreenCanvas | HTMLCanvasElement =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true }) as Context2d | null;
  if (!context) throw new Error('this browser gives no 2D canvas to draw the capture on');
  return context;
}
