#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('valley: the CLI is not built yet; run `npm run build` (npm install does it for you)\n');
  process.exit(1);
}
// exit only once the output is flushed: into a pipe, stdout is written asynchronously (process.exit right away cut it)
const valley = require(cli);
valley.main(process.argv.slice(2)).then(
  (code) => valley.finish(code),
  (error) => {
    process.stderr.write(`valley: ${String(error)}\n`);
    return valley.finish(1);
  },
);
