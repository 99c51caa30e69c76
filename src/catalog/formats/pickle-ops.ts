// The Python pickle opcode table: how many argument bytes each opcode carries, so a scanner can walk without executing.

/** How an opcode's argument is laid out. */
export type PickleArg =
  | { fixed: number } // a fixed number of bytes
  | { line: number } // newline-terminated text lines (GLOBAL and INST have two)
  | { lenBytes: number; string?: boolean }; // a little-endian length of lenBytes, then that many bytes

const A0 = { fixed: 0 };
const table: Array<[string | number, PickleArg]> = [
  ['(', A0], ['.', A0], ['0', A0], ['1', A0], ['2', A0], ['F', { line: 1 }], ['I', { line: 1 }], ['J', { fixed: 4 }],
  ['K', { fixed: 1 }], ['L', { line: 1 }], ['M', { fixed: 2 }], ['N', A0], ['P', { line: 1 }], ['Q', A0], ['R', A0],
  ['S', { line: 1 }], ['T', { lenBytes: 4 }], ['U', { lenBytes: 1 }], ['V', { line: 1 }],
  ['X', { lenBytes: 4, string: true }], ['a', A0], ['b', A0], ['c', { line: 2 }], ['d', A0], ['}', A0], ['e', A0],
  ['g', { line: 1 }], ['h', { fixed: 1 }], ['i', { line: 2 }], ['j', { fixed: 4 }], ['l', A0], [']', A0], ['o', A0],
  ['p', { line: 1 }], ['q', { fixed: 1 }], ['r', { fixed: 4 }], ['s', A0], ['t', A0], [')', A0], ['u', A0],
  ['G', { fixed: 8 }], ['B', { lenBytes: 4 }], ['C', { lenBytes: 1 }],
  [0x80, { fixed: 1 }], [0x81, A0], [0x82, { fixed: 1 }], [0x83, { fixed: 2 }], [0x84, { fixed: 4 }], [0x85, A0],
  [0x86, A0], [0x87, A0], [0x88, A0], [0x89, A0], [0x8a, { lenBytes: 1 }], [0x8b, { lenBytes: 4 }],
  [0x8c, { lenBytes: 1, string: true }], [0x8d, { lenBytes: 8, string: true }], [0x8e, { lenBytes: 8 }], [0x8f, A0],
  [0x90, A0], [0x91, A0], [0x92, A0], [0x93, A0], [0x94, A0], [0x95, { fixed: 8 }], [0x96, { lenBytes: 8 }],
  [0x97, A0], [0x98, A0],
];

/** Argument layout by opcode byte (protocols 0–5). */
export const PICKLE_OPS: ReadonlyMap<number, PickleArg> = new Map(
  table.map(([k, v]) => [typeof k === 'string' ? k.charCodeAt(0) : k, v]),
);

/** Opcode bytes the scanner treats specially. */
export const OP = {
  STOP: 0x2e, PROTO: 0x80, GLOBAL: 0x63, INST: 0x69, STACK_GLOBAL: 0x93, MEMOIZE: 0x94,
  PUT: 0x70, BINPUT: 0x71, LONG_BINPUT: 0x72, GET: 0x67, BINGET: 0x68, LONG_BINGET: 0x6a,
  STRING: 0x53, UNICODE: 0x56, SHORT_BINSTRING: 0x55, BINSTRING: 0x54,
  POP: 0x30, POP_MARK: 0x31, FRAME: 0x95,
} as const;

// Modules whose import from a pickle means code execution, file or network access.
const DANGEROUS_MODULES = new Set([
  'os', 'posix', 'nt', 'subprocess', 'sys', 'socket', 'shutil', 'runpy', 'pty', 'webbrowser', 'importlib', 'pickle',
  '_pickle', 'marshal', 'ctypes', 'code', 'codeop', 'commands', 'requests', 'urllib', 'httplib', 'http', 'asyncio',
  'multiprocessing', 'pip', 'bdb', 'pdb', 'timeit', 'profile', 'cProfile', 'platform', 'ftplib', 'smtplib',
  'telnetlib', 'tempfile', 'signal', 'operator', 'functools', 'torch.hub', 'dill', 'numpy.testing._private.utils',
]);
// Builtins that are plain data constructors; any other builtin (eval, exec, getattr, open…) is dangerous.
const SAFE_BUILTINS = new Set([
  'set', 'frozenset', 'slice', 'bytearray', 'bytes', 'complex', 'range', 'dict', 'list', 'tuple', 'int', 'float',
  'str', 'bool', 'object', 'reversed', 'enumerate',
]);

/** True when importing `module`.`name` from a pickle can run code or touch the system (a MITRE ATLAS signal). */
export function isDangerousImport(module: string, name: string): boolean {
  if (module === 'builtins' || module === '__builtin__' || module === '__builtins__') return !SAFE_BUILTINS.has(name);
  const top = module.split('.')[0]!;
  return DANGEROUS_MODULES.has(module) || DANGEROUS_MODULES.has(top);
}
