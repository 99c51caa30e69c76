// Content fixtures for the content gate: pickles that run code, NumPy arrays, and ordinary files that must pass.

/** A protocol 2 pickle that calls os.system("id") when loaded. */
export const EVIL_PICKLE_P2 = Buffer.from('\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.', 'latin1');
/** A protocol 0 pickle (no magic bytes) that calls posix.system("id"). */
export const EVIL_PICKLE_P0 = Buffer.from("cposix\nsystem\np0\n(S'id'\np1\ntp2\nRp3\n.", 'latin1');
/** A benign protocol 2 pickle of {'a': 1} (what packages ship as test fixtures). */
export const BENIGN_PICKLE = Buffer.from('\x80\x02}q\x00X\x01\x00\x00\x00aq\x01K\x01s.', 'latin1');
/** A benign protocol 0 pickle of a list of ints. */
export const BENIGN_PICKLE_P0 = Buffer.from('(lp0\nI1\naI2\na.', 'latin1');

/** A NumPy .npy file (format 1.0) with the given dtype descr, shape and body. */
export function npy(descr: string, shape: number[], body: Buffer): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), len, Buffer.from(header, 'latin1'), body]);
}

/** A numeric float32 .npy of `n` values. */
export function numericNpy(n: number): Buffer {
  return npy('<f4', [n], Buffer.alloc(n * 4, 1));
}

/** An object-array .npy whose pickle body runs os.system. */
export function objectNpy(): Buffer {
  return npy('|O', [1], EVIL_PICKLE_P2);
}
