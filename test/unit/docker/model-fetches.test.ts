import { describe, it, expect } from 'vitest';
import { parseDockerfile } from '../../../src/docker/dockerfile.js';
import { findModelFetches } from '../../../src/docker/model-fetches.js';
import { shellCommands } from '../../../src/docker/shell-script.js';
import { isMlbuildError } from '../../../src/core/index.js';

const DF = `# syntax=docker/dockerfile:1
ARG BASE=debian
ARG HF=https://huggingface.co
FROM \${BASE} AS build
ARG HF
ARG REV=main
WORKDIR /models
RUN git clone --depth 1 -b \${REV} \${HF}/org/model-a && \\
    git clone https://huggingface.co/org/model-b.git /opt/b && cd /opt/b && git checkout 0123abc
# a comment inside
RUN huggingface-cli download org/model-c --revision v1 --local-dir /models/c
RUN hf download org/model-d config.json model.safetensors
RUN python3 -c "from huggingface_hub import snapshot_download; snapshot_download(repo_id='org/model-e', revision='abc')"
RUN wget -O /models/f.gguf https://example.com/files/f.gguf && curl -sSL https://example.com/readme.txt
ADD https://example.com/g.onnx /models/g.onnx
ADD https://github.com/org/h.git#v2 /src/h
COPY ./weights /models/local
COPY app /app
FROM build AS final
COPY --from=build /models /models
RUN <<EOF
git clone https://huggingface.co/org/model-i /models/i
EOF
`;

describe('Dockerfile model-fetch analysis', () => {
  const fetches = findModelFetches(parseDockerfile(DF), { buildArgs: { REV: 'v3' }, isModelPath: (p) => p.includes('weights') });
  const by = (s: string) => fetches.find((f) => f.source.includes(s));

  it('finds git clones with build args, WORKDIR-relative destinations and later checkouts', () => {
    expect(by('model-a')).toMatchObject({ kind: 'git', source: 'https://huggingface.co/org/model-a', revision: 'v3', dest: '/models/model-a', line: 8 });
    expect(by('model-b')).toMatchObject({ kind: 'git', dest: '/opt/b', revision: '0123abc' });
  });

  it('finds hf downloads, snapshot_download, model-file downloads, ADD and COPY', () => {
    expect(by('model-c')).toMatchObject({ kind: 'huggingface', source: 'https://huggingface.co/org/model-c', revision: 'v1', dest: '/models/c' });
    expect(by('model-d')).toMatchObject({ kind: 'huggingface', files: ['config.json', 'model.safetensors'] });
    expect(by('model-e')).toMatchObject({ kind: 'huggingface', revision: 'abc' });
    expect(by('f.gguf')).toMatchObject({ kind: 'url', dest: '/models/f.gguf' });
    expect(by('readme.txt')).toBeUndefined();
    expect(by('g.onnx')).toMatchObject({ kind: 'url', dest: '/models/g.onnx' });
    expect(by('h.git')).toMatchObject({ kind: 'git', source: 'https://github.com/org/h.git', revision: 'v2' });
    expect(by('weights')).toMatchObject({ kind: 'copy', dest: '/models/local' });
    expect(by('app')).toBeUndefined();
    expect(by('model-i')).toMatchObject({ kind: 'git', stage: 1 });
  });

  it('stops at --target', () => {
    const early = findModelFetches(parseDockerfile(DF), { targetStage: 0 });
    expect(early.some((f) => f.source.includes('model-i'))).toBe(false);
  });

  it('rejects text without FROM', () => {
    try {
      parseDockerfile('RUN echo hi\n');
      throw new Error('no error');
    } catch (err) {
      expect(isMlbuildError(err, 'BAD_DOCKERFILE')).toBe(true);
    }
  });

  it('splits shell commands with quotes', () => {
    expect(shellCommands(`a 'b c' "d \\"e\\"" && f;g | h`).map((c) => c.words)).toEqual([['a', 'b c', 'd "e"'], ['f'], ['g'], ['h']]);
  });
});
