// Child process for the store concurrency test: puts the bundle files named on the command line into a store.
import { readFile } from 'node:fs/promises';
import { AttestationStore } from '../../../src/attest/store.js';

const [dir, ...files] = process.argv.slice(2);
const store = new AttestationStore(dir);
await Promise.all(files.map(async (f) => store.put(await readFile(f))));
