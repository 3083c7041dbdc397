import { createHash } from 'node:crypto';
import { sha256Hex, sha256HexWithMethod } from './sha256Hex';

describe('sha256Hex', () => {
  const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) % 251);
  const expected = createHash('sha256').update(bytes).digest('hex');

  it('hashes with WebCrypto', async () => {
    expect(await sha256Hex(bytes)).toBe(expected);
    expect(await sha256HexWithMethod(bytes)).toEqual({ hex: expected, method: 'webcrypto' });
  });

  it('hashes the same without WebCrypto (a page served over plain HTTP)', async () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      expect(await sha256Hex(bytes)).toBe(expected);
      expect(await sha256HexWithMethod(bytes)).toEqual({ hex: expected, method: 'js' });
    } finally {
      Object.defineProperty(globalThis, 'crypto', original as PropertyDescriptor);
    }
  });
});
