#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 can cache compiled code between runs; on Node 20 this is a no-op.
module.enableCompileCache?.();
const { main } = await import('../dist/bin/main.js');
process.exitCode = await main(process.argv);
