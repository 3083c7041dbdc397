/** Text cut to LO's 64 characters, counted as dciodvfy does, in UTF-8 bytes. */
export function fitLo(value: string, max = 64): string {
  const encoder = new TextEncoder();
  let out = value;
  while (encoder.encode(out).length > max) out = out.slice(0, -1);
  return out;
}
