// Writes a Hugging Face-style model folder of MIB MiB: 4 safetensors shards (valid headers, random tensor bytes) + card.
import { createWriteStream, writeFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';

const [dir, mibArg] = process.argv.slice(2);
const total = Number(mibArg) * 1048576;
const shards = 4;
const per = Math.floor(total / shards / 4) * 4;
for (let s = 0; s < shards; s++) {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, [`layer.${s}.weight`]: { dtype: 'F32', shape: [per / 4], data_offsets: [0, per] } }));
  const pad = (8 - (header.length % 8)) % 8;
  const h = Buffer.concat([header, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  const out = createWriteStream(join(dir, `model-0000${s + 1}-of-0000${shards}.safetensors`));
  out.write(Buffer.concat([len, h]));
  const chunk = Buffer.alloc(8 << 20);
  for (let left = per; left > 0; left -= chunk.length) out.write(randomFillSync(Buffer.alloc(Math.min(chunk.length, left))));
  await new Promise((r) => out.end(r));
}
writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', architectures: ['LlamaForCausalLM'] }));
writeFileSync(join(dir, 'README.md'), '---\nlicense: mit\npipeline_tag: text-generation\nlibrary_name: transformers\ndatasets:\n  - bench/corpus\n---\n# bench model\n');
