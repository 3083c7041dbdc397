/** UIDs under the 2.25 root (PS3.5 B.2): a UUID written as one decimal integer. */

function bytesToUid(bytes: Uint8Array): string {
  let value = BigInt(0);
  for (const byte of bytes) value = (value << BigInt(8)) | BigInt(byte);
  return `2.25.${value.toString()}`;
}

/** A new random (version 4) UUID-derived UID: new on every call, so every store is new. */
export function newUid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytesToUid(bytes);
}

/**
 * A stable UID for a model (the Device UID of the algorithm): the first 128 bits of its sha256,
 * marked as a name-based UUID (version 8 layout), so one model keeps one device UID everywhere.
 */
export function uidFromSha256(sha256: string): string {
  if (!/^[0-9a-f]{32,}$/i.test(sha256)) return newUid();
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(sha256.slice(2 * i, 2 * i + 2), 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytesToUid(bytes);
}
