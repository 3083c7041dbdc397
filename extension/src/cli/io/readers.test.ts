import { PNG } from 'pngjs';
import { dicomPart10, FIXTURE_ROOT_UID } from '../../../../test/fixtures/dicomPart10';
import { displayIntensities } from '../../engine';
import { readDicomFile } from './readDicomFile';
import { readRasterFile } from './readRasterFile';

describe('readRasterFile', () => {
  it('keeps the full depth of a 16-bit greyscale PNG', () => {
    const values = Array.from({ length: 64 }, (_, i) => (i * 4099) % 65536);
    const png = new PNG({ width: 8, height: 8, bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.from(new Uint16Array(values).buffer);
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false });
    const pixels = readRasterFile(new Uint8Array(bytes), 'film16.png');
    expect(pixels.bitsStored).toBe(16);
    expect(Array.from(pixels.pixelData)).toEqual(values);
    expect(displayIntensities(pixels).values[1]).toBeCloseTo(4099 / 65535, 6);
  });
});

describe('readDicomFile', () => {
  /** Signed CT-like pixels -1000..1000 with a VOI LUT whose first mapped value is negative. */
  function signedWithVoiLut(descriptorFirstValue: number): Uint8Array {
    const pixels = Int16Array.from({ length: 64 * 64 }, (_, i) => Math.round(-1000 + (2000 * i) / (64 * 64 - 1)));
    const lut = Uint16Array.from({ length: 2001 }, (_, i) => 4095 - Math.round((4095 * i) / 2000)); // inverts
    return new Uint8Array(
      dicomPart10('1.2.840.10008.5.1.4.1.1.1', `${FIXTURE_ROOT_UID}.77`, {
        _vrMap: { PixelData: 'OW' },
        Modality: 'CR',
        Rows: 64,
        Columns: 64,
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        BitsAllocated: 16,
        BitsStored: 16,
        HighBit: 15,
        PixelRepresentation: 1,
        // Written as US, as many writers do: -1000 arrives as 64536.
        VOILUTSequence: [
          {
            _vrMap: { LUTDescriptor: 'US', LUTData: 'US' },
            LUTDescriptor: [2001, descriptorFirstValue, 12],
            LUTData: Array.from(lut),
          },
        ],
        PixelData: [pixels.buffer],
      }),
    );
  }

  it('reads a negative first mapped value of a VOI LUT for signed pixels', async () => {
    const pixels = await readDicomFile(signedWithVoiLut(65536 - 1000));
    expect(pixels.voiLut?.firstValueMapped).toBe(-1000);
    expect(pixels.pixelData[0]).toBe(-1000);
    const { values, voiSource } = displayIntensities(pixels);
    expect(voiSource).toBe('voi-lut');
    expect(values[0]).toBeCloseTo(1, 6); // -1000 -> first entry 4095 -> white
    expect(values[64 * 64 - 1]).toBeCloseTo(0, 6); // 1000 -> last entry 0 -> black
  });

  it('reads the acquisition attributes the chest-film gate needs, and only those the file has', async () => {
    const bytes = new Uint8Array(
      dicomPart10('1.2.840.10008.5.1.4.1.1.1.1', `${FIXTURE_ROOT_UID}.78`, {
        _vrMap: { PixelData: 'OW' },
        Modality: 'DX',
        BodyPartExamined: 'CHEST',
        ViewPosition: 'PA',
        PatientAge: '057Y',
        PatientPosition: 'ERECT',
        SeriesDescription: 'PA ERECT',
        Rows: 2,
        Columns: 2,
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        BitsAllocated: 16,
        BitsStored: 12,
        HighBit: 11,
        PixelRepresentation: 0,
        PixelData: [new Uint16Array([0, 1, 2, 3]).buffer],
      }),
    );
    const pixels = await readDicomFile(bytes);
    expect(pixels.acquisition).toEqual({
      modality: 'DX',
      bodyPartExamined: 'CHEST',
      viewPosition: 'PA',
      patientAge: '057Y',
      patientPosition: 'ERECT',
      seriesDescription: 'PA ERECT',
    });
  });
});
