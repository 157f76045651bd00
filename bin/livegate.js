#!/usr/bin/env node
// Entry of the `livegate` command. TypeScript sources run through tsx's loader,
// so the installed package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A start that failed half-way can leave handles open (a database, a client
// retrying): a failure must end the process rather than hang. stdout and
// stderr are synchronous for files and pipes on Linux, so nothing is lost.
if (code !== 0) process.exit(code);
