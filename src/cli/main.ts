#!/usr/bin/env node
/**
 * The k8sim command's entry: for `run`, first a Node with a larger young generation
 * (young-generation.ts); then the program (program.ts). The program is imported only here, so
 * a relaunching process loads none of it.
 */
import { relaunchWithLargerYoungGeneration } from './young-generation.js';

const relaunched = await relaunchWithLargerYoungGeneration();
if (relaunched !== undefined) process.exit(relaunched);
await import('./program.js');
