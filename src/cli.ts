#!/usr/bin/env -S node --max-semi-space-size=32
import { runCli } from './cli/runCli.js';

const exitCode = await runCli(process.argv, process.env);
// Work still under way (seeding a large tenant when a start fails or a signal comes early) must not keep a
// finished command alive; what was written to stdout and stderr goes out first.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
