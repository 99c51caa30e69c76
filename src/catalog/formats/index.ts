// Public surface of the ML file-format parsers: header-only, size-capped, never throwing; each a probe and a parse function.
export { StreamProbe, runProbe, type Cursor, type EndStatus, type Need, type StreamParser } from './stream.js';
export { detectFormat, extensionOf, formatByMagic, DETECT_HEAD, type FormatName } from './detect.js';
export { SniffProbe, mlFileProbe, parseMlFile, probeForFormat, type SniffOptions } from './sniff.js';
export { safetensorsProbe, parseSafetensors, SAFETENSORS_HEADER_CAP, type SafetensorsFacts } from './safetensors.js';
export { ggufProbe, parseGguf, GGUF_CAP, type GgufFacts } from './gguf.js';
export { ggufFileTypeName, ggmlTypeName } from './gguf-names.js';
export { onnxProbe, parseOnnx, type OnnxFacts } from './onnx.js';
export { decodeMessage, decodeVarint, encodeMessage, encodeVarint, type PbField } from './protobuf.js';
export { pickleProbe, parsePickle, scanPickleBuffer, pickleWarnings, type PickleFacts, type PickleScan } from './pickle.js';
export { PickleScanner } from './pickle-scanner.js';
export { isDangerousImport } from './pickle-ops.js';
export { zipProbe, parseZip, type ZipFacts } from './zip.js';
export { hdf5Probe, parseHdf5, hdf5SignatureOffset, type Hdf5Facts } from './hdf5.js';
export { tfliteProbe, parseTflite, isTflite, type TfliteFacts } from './tflite.js';
export { dataProbe, parseParquet, parseArrow, parseJsonl, parseCsv, type DataFacts } from './datasets.js';
export { textProbe, parseText, looksLikeText, type TextFacts } from './text.js';
export {
  archiveProbe, archiveKindOf, isTarHeader, ARCHIVE_HEAD, type ArchiveProbe, type ArchiveFacts, type ArchiveKind, type ArchiveMember,
  type ArchiveOptions, type ArchiveSummary, type MemberProbeFactory,
} from './archive.js';
