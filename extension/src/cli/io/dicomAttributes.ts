/** The attributes the engine reads from a parsed DICOM dataset: LUTs, VOI, acquisition. */
import type * as dicomParser from 'dicom-parser';
import { type AcquisitionInfo, type RadiographPixels, type VoiLutFunction, type VoiLutTable } from '../../engine';

/**
 * A lookup-table item: descriptor (entries, first mapped value, bits) and data. The first mapped
 * value is signed when the pixels are (PS3.3 C.11.1.1), whatever VR the file declares (implicit-VR
 * files declare none), as Cornerstone's loader reads it.
 */
export function readLut(item: dicomParser.DataSet, descriptorTag: string, dataTag: string, signedPixels: boolean) {
  const entries = item.uint16(descriptorTag, 0) || 65536;
  const firstValueMapped = (signedPixels ? item.int16(descriptorTag, 1) : item.uint16(descriptorTag, 1)) ?? 0;
  const bitsPerEntry = item.uint16(descriptorTag, 2) ?? 16;
  const dataElement = item.elements[dataTag];
  if (!dataElement) return undefined;
  const data = new Uint16Array(entries);
  const eightBitData = bitsPerEntry <= 8 && dataElement.length === entries;
  for (let i = 0; i < entries; i++) {
    data[i] = eightBitData ? item.byteArray[dataElement.dataOffset + i] : (item.uint16(dataTag, i) ?? 0);
  }
  return { firstValueMapped, bitsPerEntry, data };
}

export function firstSequenceItem(dataSet: dicomParser.DataSet, tag: string): dicomParser.DataSet | undefined {
  return dataSet.elements[tag]?.items?.[0]?.dataSet;
}

export function readVoi(
  dataSet: dicomParser.DataSet,
  signedPixels: boolean,
): Pick<RadiographPixels, 'windowCenter' | 'windowWidth' | 'voiLutFunction' | 'voiLut'> {
  const lutItem = firstSequenceItem(dataSet, 'x00283010');
  const voiLut: VoiLutTable | undefined = lutItem
    ? readLut(lutItem, 'x00283002', 'x00283006', signedPixels)
    : undefined;
  const fn = dataSet.string('x00281056')?.toUpperCase();
  return {
    windowCenter: dataSet.floatString('x00281050', 0),
    windowWidth: dataSet.floatString('x00281051', 0),
    voiLutFunction: fn === 'SIGMOID' || fn === 'LINEAR_EXACT' ? (fn as VoiLutFunction) : 'LINEAR',
    voiLut,
  };
}

/** The acquisition attributes the chest-film gate reads; absent ones stay absent. */
export function readAcquisition(dataSet: dicomParser.DataSet): AcquisitionInfo {
  const text = (tag: string) => {
    const value = dataSet.string(tag)?.trim();
    return value ? value : undefined;
  };
  const info: AcquisitionInfo = {
    modality: text('x00080060'),
    bodyPartExamined: text('x00180015'),
    viewPosition: text('x00185101'),
    patientAge: text('x00101010'),
    patientPosition: text('x00185100'),
    seriesDescription: text('x0008103e'),
    studyDescription: text('x00081030'),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as AcquisitionInfo;
}
