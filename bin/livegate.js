#!/usr/bin/env node
// Entry of the `livegate` command. TypeScript sources run through tsx's loader,
// so the installed package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
