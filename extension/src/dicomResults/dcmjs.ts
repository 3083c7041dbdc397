// The CLI build compiles from main.ts alone (tsconfig.cli.json), so the declaration is referenced here.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjsModule.d.ts" />
/**
 * The parts of dcmjs (0.49, no types of its own) the result objects use: Part 10 in and out of
 * naturalised datasets. Works in the browser and in Node (ArrayBuffers, no Buffer).
 */
import { data as dcmjsData } from 'dcmjs';
import type { NaturalizedDataset } from './types';

interface DcmjsData {
  DicomMessage: {
    readFile(
      buffer: ArrayBuffer,
      options?: Record<string, unknown>,
    ): {
      dict: Record<string, unknown>;
      meta: Record<string, unknown>;
    };
  };
  DicomMetaDictionary: {
    naturalizeDataset(dict: Record<string, unknown>): NaturalizedDataset;
    denaturalizeDataset(dataset: NaturalizedDataset): Record<string, unknown>;
  };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}

export const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjsData as unknown as DcmjsData;

export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';

/** Our implementation's identity in the file meta of every object written (2.25 UUID-derived). */
export const IMPLEMENTATION_CLASS_UID = '2.25.266958112620683359727830862744658375251';
export const IMPLEMENTATION_VERSION_NAME = 'CXRAI_1';

/** A DICOM Part 10 file read into a naturalised dataset (the file meta is not kept). */
export function parsePart10(bytes: ArrayBuffer): NaturalizedDataset {
  return DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes).dict);
}

/** A naturalised dataset as a Part 10 file, explicit VR little endian. */
export function writePart10(dataset: NaturalizedDataset): ArrayBuffer {
  const sopClassUid = String(dataset.SOPClassUID);
  const sopInstanceUid = String(dataset.SOPInstanceUID);
  const meta: NaturalizedDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return dict.write();
}
