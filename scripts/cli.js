#!/usr/bin/env node
// `npm run cli -- ...`: the compiled CLI (build/cli/main.js), recompiled first if a source is newer.
'use strict';
const { CLI_MAIN, ensureCliBuilt } = require('./build-cli');

ensureCliBuilt();
require(CLI_MAIN); // runs the command line on process.argv, as `node build/cli/main.js` would
