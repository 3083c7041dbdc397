/** Patient's Age (0010,1010) in years: "045Y", "010M", "003W", "002D"; undefined if unreadable. */
export function patientAgeYears(value: string | undefined): number | undefined {
  const match = /^\s*(\d{1,3})\s*([YMWD])?\s*$/i.exec(value ?? '');
  if (!match) return undefined;
  const n = Number(match[1]);
  switch ((match[2] ?? 'Y').toUpperCase()) {
    case 'M':
      return n / 12;
    case 'W':
      return n / 52.1775;
    case 'D':
      return n / 365.25;
    default:
      return n;
  }
}
