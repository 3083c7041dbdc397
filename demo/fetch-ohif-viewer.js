#!/usr/bin/env node
// Puts a prebuilt OHIF viewer (the `dist/` of @ohif/app on npm) into .cache/.
//
//   node demo/fetch-ohif-viewer.js                   # 3.13.2 (the default) -> .cache/ohif-viewer/
//   node demo/fetch-ohif-viewer.js 3.14.0-beta.6     # -> .cache/ohif-viewer-3.14.0-beta.6/
//   OHIF_VERSION=3.14.0-beta.6 node demo/fetch-ohif-viewer.js
//
// `npm install @ohif/app` cannot work (it depends on an @ohif/i18n version that was never
// published), so we take the registry tarball with `npm pack`, check it against the integrity the
// registry publishes (pinned below) and unpack only dist/. Only pinned versions are accepted.
// Idempotent: does nothing when the folder's marker file names the same version and hash.
// Plain JS so that it runs before anything is compiled; also usable as a module
// (`require('./fetch-ohif-viewer').viewerDir(version)`).
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_VERSION = '3.13.2';
// sha512 of each ohif-app-<version>.tgz as the npm registry publishes it
// (`npm view @ohif/app@<version> dist.integrity`).
const INTEGRITY = {
  '3.13.2': 'sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==',
  '3.14.0-beta.6': 'sha512-QwA0talqhh4VlUR+QgT2t8FP7NpX++4s6Z9Cp5VIcta3JMd2zGBPTp/R9t7JaX0Xi1AHAZAJxTv502R+SawaBg==',
};

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.cache');

/** Where a version is unpacked: the default keeps its historical folder, others get their own. */
function viewerDir(version = DEFAULT_VERSION) {
  return path.join(cacheDir, version === DEFAULT_VERSION ? 'ohif-viewer' : `ohif-viewer-${version}`);
}

function isInstalled(version, dir) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, '.ohif-app-version.json'), 'utf8'));
    return m.version === version && m.integrity === INTEGRITY[version] && fs.existsSync(path.join(dir, 'index.html'));
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

/** Fetches, checks and unpacks @ohif/app@version unless it is already there; returns its folder. */
function fetchViewer(version = DEFAULT_VERSION, log = console.log) {
  const integrity = INTEGRITY[version];
  if (!integrity) {
    throw new Error(`@ohif/app@${version} is not pinned here (known: ${Object.keys(INTEGRITY).join(', ')})`);
  }
  const dir = viewerDir(version);
  if (isInstalled(version, dir)) {
    log(`[ohif-viewer] @ohif/app@${version} already in ${path.relative(root, dir)}`);
    return dir;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tgz = path.join(cacheDir, `ohif-app-${version}.tgz`);
  if (!fs.existsSync(tgz) || sriOf(tgz) !== integrity) {
    log(`[ohif-viewer] npm pack @ohif/app@${version} (about 50 MB) ...`);
    const { cmd, pre } = npmCommand();
    execFileSync(cmd, [...pre, 'pack', `@ohif/app@${version}`, '--pack-destination', cacheDir, '--loglevel', 'error'], {
      cwd: cacheDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const got = sriOf(tgz);
  if (got !== integrity) {
    fs.rmSync(tgz, { force: true });
    throw new Error(`@ohif/app@${version} tarball integrity mismatch: ${got}`);
  }
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=2', 'package/dist'], { stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  fs.writeFileSync(path.join(dir, '.ohif-app-version.json'), JSON.stringify({ version, integrity }, null, 2));
  fs.rmSync(tgz, { force: true });
  log(`[ohif-viewer] @ohif/app@${version} unpacked into ${path.relative(root, dir)}`);
  return dir;
}

module.exports = { DEFAULT_VERSION, INTEGRITY, viewerDir, fetchViewer };

if (require.main === module) {
  try {
    fetchViewer(process.argv[2] || process.env.OHIF_VERSION || DEFAULT_VERSION);
  } catch (err) {
    console.error(`[ohif-viewer] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
