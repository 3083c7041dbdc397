const two = (n: number) => String(n).padStart(2, '0');

/** An ISO time as the reader's local "YYYY-MM-DD HH:MM:SS" (the same on every browser locale). */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
