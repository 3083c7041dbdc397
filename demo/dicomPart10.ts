/**
 * Writing DICOM Part 10 files with dcmjs, for the demo study and the test fixtures. dcmjs ships
 * no types; this types the parts we use.
 */
import { data as dcmjsData } from 'dcmjs';

interface DcmjsData {
  DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Record<string, unknown>; meta: Record<string, unknown> } };
  DicomMetaDictionary: {
    naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
    denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
  };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}

export const { DicomMessage, DicomMetaDictionary } = dcmjsData as unknown as DcmjsData;
const { DicomDict } = dcmjsData as unknown as DcmjsData;

export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';

/** File meta information (group 0002) for one instance. */
export function fileMeta(
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntax: string,
  implementation: { classUid: string; versionName?: string },
): Record<string, unknown> {
  return {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntax,
    ImplementationClassUID: implementation.classUid,
    ...(implementation.versionName ? { ImplementationVersionName: implementation.versionName } : {}),
  };
}

/** A Part 10 file from naturalized file meta and dataset. */
export function writePart10(meta: Record<string, unknown>, dataset: Record<string, unknown>): Buffer {
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}
