// Writes one safetensors shard: a valid header naming one U8 tensor of SIZE bytes, then SIZE random bytes.
import { randomFillSync } from 'node:crypto';
import { openSync, writeSync, closeSync } from 'node:fs';

const [file, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);
let json = JSON.stringify({ __metadata__: { format: 'pt' }, weight: { dtype: 'U8', shape: [size], data_offsets: [0, size] } });
json += ' '.repeat((8 - (json.length % 8)) % 8);
const head = Buffer.alloc(8);
head.writeBigUInt64LE(BigInt(json.length));
const fd = openSync(file, 'w');
writeSync(fd, Buffer.concat([head, Buffer.from(json)]));
const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
for (let left = size; left > 0; left -= chunk.length) {
  randomFillSync(chunk);
  writeSync(fd, chunk, 0, Math.min(left, chunk.length));
}
closeSync(fd);
