#!/usr/bin/env node
// Puts the prebuilt OHIF viewer (the `dist/` of @ohif/app on npm) into .cache/ohif-viewer/.
// `npm install @ohif/app` cannot work (it depends on an @ohif/i18n version that was never
// published), so we take the registry tarball with `npm pack`, check its integrity and unpack
// only dist/. Idempotent: does nothing when the marker file names the same version and hash.
// Plain JS so that it runs before anything is compiled.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const OHIF_VERSION = '3.13.2';
// sha512 of ohif-app-3.13.2.tgz as the npm registry publishes it (`npm view @ohif/app@3.13.2 dist.integrity`).
const OHIF_INTEGRITY =
  'sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==';

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.cache');
const viewerDir = path.join(cacheDir, 'ohif-viewer');
const marker = path.join(viewerDir, '.ohif-app-version.json');

function isInstalled() {
  try {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    return (
      m.version === OHIF_VERSION && m.integrity === OHIF_INTEGRITY && fs.existsSync(path.join(viewerDir, 'index.html'))
    );
  } catch {
    return false;
  }
}

function sriOf(file) {
  return 'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64');
}

function npmCommand() {
  // Inside an npm script npm tells us where its CLI is; fall back to npm on PATH.
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return { cmd: process.execPath, pre: [cli] };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
}

function main() {
  if (isInstalled()) {
    console.log(`[ohif-viewer] @ohif/app@${OHIF_VERSION} already in ${path.relative(root, viewerDir)}`);
    return;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tgz = path.join(cacheDir, `ohif-app-${OHIF_VERSION}.tgz`);
  if (!fs.existsSync(tgz) || sriOf(tgz) !== OHIF_INTEGRITY) {
    console.log(`[ohif-viewer] npm pack @ohif/app@${OHIF_VERSION} (about 50 MB) ...`);
    const { cmd, pre } = npmCommand();
    execFileSync(
      cmd,
      [...pre, 'pack', `@ohif/app@${OHIF_VERSION}`, '--pack-destination', cacheDir, '--loglevel', 'error'],
      {
        cwd: cacheDir,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  const got = sriOf(tgz);
  if (got !== OHIF_INTEGRITY) {
    fs.rmSync(tgz, { force: true });
    throw new Error(`@ohif/app@${OHIF_VERSION} tarball integrity mismatch: ${got}`);
  }
  const tmp = path.join(cacheDir, 'ohif-viewer.tmp');
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=2', 'package/dist'], { stdio: 'inherit' });
  fs.rmSync(viewerDir, { recursive: true, force: true });
  fs.renameSync(tmp, viewerDir);
  fs.writeFileSync(marker, JSON.stringify({ version: OHIF_VERSION, integrity: OHIF_INTEGRITY }, null, 2));
  fs.rmSync(tgz, { force: true });
  console.log(`[ohif-viewer] @ohif/app@${OHIF_VERSION} unpacked into ${path.relative(root, viewerDir)}`);
}

try {
  main();
} catch (err) {
  console.error(`[ohif-viewer] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
