#!/usr/bin/env node
// The `kubeling` command. The CLI is written in TypeScript and run through tsx's CommonJS
// hook in this same process (no build step, no second node process to forward signals to).
'use strict';
require('tsx/cjs/api').register();
const { main } = require('../src/main.ts');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ERROR: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
