// Model file formats by name, for `forbidFormats` and CEL's `model.formats` (the attestation holds names, not bytes).

/** Format names a policy may list. */
export const KNOWN_FORMATS = ['pickle', 'safetensors', 'gguf', 'onnx', 'keras', 'hdf5', 'tflite', 'numpy', 'msgpack', 'savedmodel'] as const;

const BY_EXT: Record<string, string> = {
  pkl: 'pickle', pickle: 'pickle', pt: 'pickle', pth: 'pickle', ckpt: 'pickle', joblib: 'pickle',
  safetensors: 'safetensors', gguf: 'gguf', onnx: 'onnx', keras: 'keras', h5: 'hdf5', hdf5: 'hdf5',
  tflite: 'tflite', npy: 'numpy', npz: 'numpy', msgpack: 'msgpack',
};

/**
 * The format of a model file from its name; `.bin` files named like PyTorch checkpoints (pytorch_model*.bin,
 * training_args.bin, optimizer.bin…) are pickle. Null when the name says nothing.
 */
export function formatOfPath(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  if (ext === 'bin' && /^(pytorch_model|training_args|optimizer|scheduler|rng_state|adapter_model|diffusion_pytorch_model)/.test(name)) return 'pickle';
  return BY_EXT[ext] ?? null;
}
