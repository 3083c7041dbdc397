import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/**
 * Hex sha256 and how it was computed: WebCrypto where the page has it (native, off the JS heap),
 * @noble/hashes otherwise, so a viewer served over plain HTTP on an intranet still checks its model.
 */
export async function sha256HexWithMethod(bytes: Uint8Array): Promise<{ hex: string; method: 'webcrypto' | 'js' }> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return { hex: bytesToHex(sha256(bytes)), method: 'js' };
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return { hex: bytesToHex(new Uint8Array(digest)), method: 'webcrypto' };
}

/** Hex sha256 (WebCrypto where available, else JavaScript). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return (await sha256HexWithMethod(bytes)).hex;
}
