#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('valley: the CLI is not built yet; run `npm run build` (npm install does it for you)\n');
  process.exit(1);
}
require(cli).main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`valley: ${String(error)}\n`);
    process.exit(1);
  },
);
