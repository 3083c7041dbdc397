import type { Cornerstone } from './cornerstoneLibraries';
import { displayedImage, radiographPixelsFromViewport } from './radiographPixelsFromViewport';

const IMAGE_ID = 'dicomweb:/demo-study/cr.dcm';

function fakeCornerstone(modules: Record<string, unknown>): Cornerstone {
  return {
    metaData: { get: (type: string, imageId: string) => (imageId === IMAGE_ID ? modules[type] : undefined) },
  } as unknown as Cornerstone;
}

function fakeViewport(image: Record<string, unknown>, currentImageId = IMAGE_ID) {
  return { getCurrentImageId: () => currentImageId, getCornerstoneImage: () => image };
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
    imagePixelModule: {
      photometricInterpretation: 'MONOCHROME1',
      samplesPerPixel: 1,
      bitsStored: 15,
      pixelRepresentation: 0,
    },
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
      fakeViewport({
        ...baseImage,
        preScale: { scaled: true, scalingParameters: { rescaleSlope: 2, rescaleIntercept: -10 } },
      }),
    );
    expect(got?.pixels.rescaleApplied).toBe(true);
  });

  it('passes a colour image on as such, for the engine to refuse', () => {
    const got = radiographPixelsFromViewport(cornerstone, fakeViewport({ ...baseImage, color: true }));
    expect(got?.pixels.samplesPerPixel).toBe(3);
  });

  it('gives nothing while the current image is still loading (the viewport still holds the previous image)', () => {
    // Cornerstone 5.6 switches the current imageId at once and the image object only once loaded.
    const next = 'dicomweb:/demo-study/next.dcm';
    const calls: string[] = [];
    const tracking = {
      metaData: {
        get: (type: string, imageId: string) => {
          calls.push(imageId);
          return cornerstone.metaData.get(type, imageId);
        },
      },
    } as unknown as Cornerstone;
    expect(radiographPixelsFromViewport(tracking, fakeViewport({ ...baseImage }, next))).toBeUndefined();
    expect(calls).toEqual([]);
    // Once loaded, everything is read for the image object's own imageId.
    const got = radiographPixelsFromViewport(tracking, fakeViewport({ ...baseImage }));
    expect(got?.pixels.imageKey).toBe('1.2.3');
    expect(new Set(calls)).toEqual(new Set([IMAGE_ID]));
  });

  it("passes the image's own modality LUT and VOI LUT tables on", () => {
    const voiTable = [0, 10, 20, 4095];
    const modalityTable = [5, 6, 7];
    const withLuts = fakeCornerstone({
      sopCommonModule: { sopInstanceUID: '1.2.3' },
      imagePixelModule: {
        photometricInterpretation: 'MONOCHROME2',
        samplesPerPixel: 1,
        bitsStored: 12,
        pixelRepresentation: 0,
      },
      voiLutModule: {
        windowCenter: [2048],
        windowWidth: [4096],
        voiLUTSequence: [
          { id: '1', firstValueMapped: 100, numBitsPerEntry: 12, lut: voiTable },
          { id: '2', firstValueMapped: 0, numBitsPerEntry: 8, lut: [1, 2] },
        ],
      },
      modalityLutModule: {
        modalityLUTSequence: [{ id: '1', firstValueMapped: -2, numBitsPerEntry: 16, lut: modalityTable }],
      },
    });
    const got = radiographPixelsFromViewport(withLuts, fakeViewport({ ...baseImage }));
    expect(got?.pixels.voiLut).toEqual({ firstValueMapped: 100, bitsPerEntry: 12, data: voiTable });
    expect(got?.pixels.modalityLut).toEqual({ firstValueMapped: -2, data: modalityTable });
    // Without tables (or with empty ones) there are none.
    expect(radiographPixelsFromViewport(cornerstone, fakeViewport({ ...baseImage }))?.pixels).toMatchObject({
      voiLut: undefined,
      modalityLut: undefined,
    });
    const empty = fakeCornerstone({
      voiLutModule: { voiLUTSequence: [] },
      modalityLutModule: { modalityLUTSequence: [{ lut: [] }] },
    });
    expect(radiographPixelsFromViewport(empty, fakeViewport({ ...baseImage }))?.pixels).toMatchObject({
      voiLut: undefined,
      modalityLut: undefined,
    });
  });

  it('keys a frame of a multi-frame object by SOPInstanceUID and frame, for WADO-URI and DICOMweb imageIds', () => {
    const metaData = { get: (type: string) => (type === 'sopCommonModule' ? { sopInstanceUID: '1.2.3' } : undefined) };
    const cs = { metaData } as unknown as Cornerstone;
    const key = (imageId: string) =>
      displayedImage(cs, { getCurrentImageId: () => imageId, getCornerstoneImage: () => undefined })?.imageKey;
    expect(key('wadouri:https://pacs/wado?requestType=WADO&objectUID=1.2.3&frame=4')).toBe('1.2.3#4');
    expect(key('dicomweb:https://pacs/file.dcm?frame=2')).toBe('1.2.3#2');
    expect(key('wadors:https://pacs/dicom-web/studies/1/series/2/instances/1.2.3/frames/7')).toBe('1.2.3#7');
    expect(key('dicomweb:/demo-study/cr.dcm')).toBe('1.2.3');
  });

  it('gives nothing for a viewport that is not a stack or has no image yet', () => {
    expect(radiographPixelsFromViewport(cornerstone, {})).toBeUndefined();
    expect(
      radiographPixelsFromViewport(cornerstone, {
        getCurrentImageId: () => IMAGE_ID,
        getCornerstoneImage: () => undefined,
      }),
    ).toBeUndefined();
    expect(
      displayedImage(cornerstone, { getCurrentImageId: () => undefined, getCornerstoneImage: () => undefined }),
    ).toBeUndefined();
  });

  it("fills the acquisition attributes from OHIF's instance metadata and Cornerstone's modules", () => {
    const withAcquisition = fakeCornerstone({
      sopCommonModule: { sopInstanceUID: '1.2.3' },
      instance: { ViewPosition: 'AP ', PatientAge: '045Y', PatientPosition: 'ERECT', StudyDescription: 'CHEST' },
      generalSeriesModule: { modality: 'DX', bodyPartExamined: 'CHEST', seriesDescription: 'PORTABLE' },
      // Cornerstone's WADO-RS provider gives the age as a number: the instance's string wins.
      patientStudyModule: { patientAge: 45 },
    });
    const got = radiographPixelsFromViewport(withAcquisition, fakeViewport({ ...baseImage }));
    expect(got?.pixels.acquisition).toEqual({
      modality: 'DX',
      bodyPartExamined: 'CHEST',
      viewPosition: 'AP',
      patientAge: '045Y',
      patientPosition: 'ERECT',
      seriesDescription: 'PORTABLE',
      studyDescription: 'CHEST',
    });
    // Nothing known: nothing made up.
    expect(
      radiographPixelsFromViewport(fakeCornerstone({}), fakeViewport({ ...baseImage }))?.pixels.acquisition,
    ).toEqual({});
  });

  it("reads LUT sequences from OHIF's instance metadata when Cornerstone's modules have none", () => {
    const withInstanceLuts = fakeCornerstone({
      sopCommonModule: { sopInstanceUID: '1.2.3' },
      voiLutModule: { windowCenter: [1000], windowWidth: [500] },
      instance: {
        VOILUTSequence: [{ LUTDescriptor: [4, 0, 12], LUTData: [0, 100, 200, 4095] }],
        ModalityLUTSequence: [{ LUTDescriptor: [3, 65534, 16], LUTData: [5, 6, 7] }],
      },
    });
    const got = radiographPixelsFromViewport(withInstanceLuts, fakeViewport({ ...baseImage }))?.pixels;
    expect(got?.voiLut).toEqual({ firstValueMapped: 0, bitsPerEntry: 12, data: [0, 100, 200, 4095] });
    expect(got?.modalityLut).toEqual({ firstValueMapped: 65534, data: [5, 6, 7] });
    // Declared but unreadable (bulk data never fetched): no table, so the window is what runs.
    const unreadable = fakeCornerstone({
      instance: { VOILUTSequence: [{ LUTDescriptor: [4, 0, 12], LUTData: { BulkDataURI: 'https://pacs/bulk' } }] },
    });
    expect(radiographPixelsFromViewport(unreadable, fakeViewport({ ...baseImage }))?.pixels.voiLut).toBeUndefined();
  });
});
