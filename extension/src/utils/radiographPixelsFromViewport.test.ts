import type { Cornerstone } from './cornerstoneLibraries';
import { displayedImage, radiographPixelsFromViewport } from './radiographPixelsFromViewport';

const IMAGE_ID = 'dicomweb:/demo-study/cr.dcm';

function fakeCornerstone(modules: Record<string, unknown>): Cornerstone {
  return { metaData: { get: (type: string, imageId: string) => (imageId === IMAGE_ID ? modules[type] : undefined) } } as unknown as Cornerstone;
}

function fakeViewport(image: Record<string, unknown>) {
  return { getCurrentImageId: () => IMAGE_ID, getCornerstoneImage: () => image };
}

const pixelData = new Uint16Array([0, 100, 200, 300]);
const baseImage = {
  imageId: IMAGE_ID,
  rows: 2,
  columns: 2,
  getPixelData: () => pixelData,
  color: false,
  slope: 1,
  intercept: 0,
  // What the user has done to the display must not reach the engine.
  windowCenter: 9999,
  windowWidth: 1,
};

describe('radiographPixelsFromViewport', () => {
  const cornerstone = fakeCornerstone({
    sopCommonModule: { sopInstanceUID: '1.2.3' },
    imagePixelModule: { photometricInterpretation: 'MONOCHROME1', samplesPerPixel: 1, bitsStored: 15, pixelRepresentation: 0 },
    voiLutModule: { windowCenter: [15000, 100], windowWidth: [30000, 50], voiLUTFunction: 'LINEAR' },
    modalityLutModule: { rescaleSlope: 2, rescaleIntercept: -10 },
    generalSeriesModule: { modality: 'CR', seriesDescription: 'chest' },
  });

  it("uses the image's own DICOM values and keys the result by SOPInstanceUID", () => {
    const got = radiographPixelsFromViewport(cornerstone, fakeViewport({ ...baseImage }));
    expect(got?.pixels).toMatchObject({
      rows: 2,
      columns: 2,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME1',
      bitsStored: 15,
      windowCenter: 15000,
      windowWidth: 30000,
      voiLutFunction: 'LINEAR',
      rescaleSlope: 2,
      rescaleIntercept: -10,
      rescaleApplied: false,
      imageKey: '1.2.3',
    });
    expect(got?.pixels.pixelData).toBe(pixelData);
    expect(got?.image.modality).toBe('CR');
  });

  it('reports rescale as applied when the loader pre-scaled the pixels', () => {
    const got = radiographPixelsFromViewport(
      cornerstone,
      fakeViewport({ ...baseImage, preScale: { scaled: true, scalingParameters: { rescaleSlope: 2, rescaleIntercept: -10 } } }),
    );
    expect(got?.pixels.rescaleApplied).toBe(true);
  });

  it('passes a colour image on as such, for the engine to refuse', () => {
    const got = radiographPixelsFromViewport(cornerstone, fakeViewport({ ...baseImage, color: true }));
    expect(got?.pixels.samplesPerPixel).toBe(3);
  });

  it('gives nothing for a viewport that is not a stack or has no image yet', () => {
    expect(radiographPixelsFromViewport(cornerstone, {})).toBeUndefined();
    expect(radiographPixelsFromViewport(cornerstone, { getCurrentImageId: () => IMAGE_ID, getCornerstoneImage: () => undefined })).toBeUndefined();
    expect(displayedImage(cornerstone, { getCurrentImageId: () => undefined, getCornerstoneImage: () => undefined })).toBeUndefined();
  });
});
