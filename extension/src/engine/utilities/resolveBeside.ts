/** Resolves a file named in a manifest against the manifest's own URL or path. */
export function resolveBeside(manifestLocation: string, file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return file;
  if (/^[a-z][a-z0-9+.-]*:/i.test(manifestLocation)) return new URL(file, manifestLocation).href;
  if (typeof location !== 'undefined' && typeof location.href === 'string') {
    return new URL(file, new URL(manifestLocation, location.href)).href;
  }
  if (file.startsWith('/')) return file;
  const slash = manifestLocation.lastIndexOf('/');
  return slash < 0 ? file : `${manifestLocation.slice(0, slash + 1)}${file}`;
}
