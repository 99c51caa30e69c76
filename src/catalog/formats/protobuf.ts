// Minimal protobuf wire-format decoding of small, fully buffered messages (no schema, no dependencies).

/** One decoded field: varints as numbers, length-delimited fields as Buffers, fixed fields skipped. */
export interface PbField {
  field: number;
  wire: number;
  value: number | Buffer;
}

/** Decodes a varint at `off`; returns [value, next offset] or undefined when malformed or past the end. */
export function decodeVarint(buf: Buffer, off: number): [number, number] | undefined {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10 && off + i < buf.length; i++) {
    const b = buf[off + i]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [result, off + i + 1];
    mul *= 128;
  }
  return undefined;
}

/** Decodes the top-level fields of a buffered message; returns undefined when the bytes are not valid protobuf. */
export function decodeMessage(buf: Buffer): PbField[] | undefined {
  const out: PbField[] = [];
  let off = 0;
  while (off < buf.length) {
    const tag = decodeVarint(buf, off);
    if (!tag) return undefined;
    const field = Math.floor(tag[0] / 8);
    const wire = tag[0] & 7;
    off = tag[1];
    if (field === 0) return undefined;
    if (wire === 0) {
      const v = decodeVarint(buf, off);
      if (!v) return undefined;
      out.push({ field, wire, value: v[0] });
      off = v[1];
    } else if (wire === 2) {
      const n = decodeVarint(buf, off);
      if (!n || n[1] + n[0] > buf.length) return undefined;
      out.push({ field, wire, value: buf.subarray(n[1], n[1] + n[0]) });
      off = n[1] + n[0];
    } else if (wire === 1 || wire === 5) {
      off += wire === 1 ? 8 : 4;
      if (off > buf.length) return undefined;
    } else {
      return undefined;
    }
  }
  return out;
}

/** The last string value of `field` in decoded fields (protobuf's last-one-wins rule). */
export function pbString(fields: PbField[], field: number): string | undefined {
  let s: string | undefined;
  for (const f of fields) if (f.field === field && Buffer.isBuffer(f.value)) s = f.value.toString('utf8');
  return s;
}

/** The last varint value of `field` in decoded fields. */
export function pbNumber(fields: PbField[], field: number): number | undefined {
  let n: number | undefined;
  for (const f of fields) if (f.field === field && typeof f.value === 'number') n = f.value;
  return n;
}

/** Encodes protobuf fields (varint and length-delimited only); used to build fixtures and small messages. */
export function encodeMessage(fields: Array<[number, number | string | Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [field, v] of fields) {
    if (typeof v === 'number') {
      parts.push(encodeVarint(field * 8), encodeVarint(v));
    } else {
      const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
      parts.push(encodeVarint(field * 8 + 2), encodeVarint(b.length), b);
    }
  }
  return Buffer.concat(parts);
}

/** Encodes a non-negative integer as a varint. */
export function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
