// HDF5 (Keras .h5 weights and models): the signature at offset 0, 512, 1024, 2048…; Keras attribute names in the head.
import { HeadProbe, type Probe, type ProbeFacts } from '../probe.js';

/** How much of an HDF5 file we look at. */
export const HDF5_HEAD = 64 * 1024;
const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Facts of an HDF5 file. */
export interface Hdf5Facts extends ProbeFacts {
  kind: 'hdf5';
  superblockOffset?: number;
  superblockVersion?: number;
  /** True when Keras attribute names (keras_version, model_config…) appear in the head. */
  keras?: boolean;
}

/** The offset of the HDF5 signature in `head` (0, 512, 1024, 2048…), or -1. */
export function hdf5SignatureOffset(head: Buffer): number {
  for (let off = 0; off + SIGNATURE.length <= head.length; off = off === 0 ? 512 : off * 2) {
    if (head.subarray(off, off + SIGNATURE.length).equals(SIGNATURE)) return off;
  }
  return -1;
}

/** Parses the head of an HDF5 file; never throws. */
export function parseHdf5(head: Buffer, _fileSize: number): Hdf5Facts {
  const off = hdf5SignatureOffset(head);
  if (off < 0) return { kind: 'hdf5', warnings: ['no HDF5 signature found'] };
  const f: Hdf5Facts = { kind: 'hdf5', superblockOffset: off };
  if (off + 8 < head.length) f.superblockVersion = head[off + 8];
  f.keras = ['keras_version', 'model_config', 'model_weights', 'layer_names'].some((s) => head.includes(s, 0, 'latin1'));
  return f;
}

/** A probe keeping the first HDF5_HEAD bytes of an HDF5 file. */
export function hdf5Probe(): Probe {
  return new HeadProbe(HDF5_HEAD, parseHdf5);
}
