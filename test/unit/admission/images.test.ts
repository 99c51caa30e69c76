// Image extraction from kubectl-made objects: every container list, every pod-template kind, JSON pointers.
import { describe, expect, it } from 'vitest';
import { BadReview, containerImages, parseReview, pinImage, pinnedDigest } from '../../../src/server/admission/index.js';
import { admissionReview, fixtureObject, workloadObject } from '../../helpers/admission-review.js';

const IMG = '127.0.0.1:5000/test/app:1';
const D = `sha256:${'ab'.repeat(32)}`;

function imagesOf(object: Record<string, unknown>) {
  const req = parseReview(JSON.stringify(admissionReview(object)));
  return containerImages(req.kind, req.object, req.uid);
}

describe('containerImages', () => {
  it('finds the image of each kind at its JSON pointer', () => {
    expect(imagesOf(fixtureObject('pod', IMG))).toEqual([{ pointer: '/spec/containers/0/image', container: 'train', list: 'containers', image: IMG }]);
    expect(imagesOf(fixtureObject('deployment', IMG)).map((c) => c.pointer)).toEqual(['/spec/template/spec/containers/0/image']);
    expect(imagesOf(fixtureObject('job', IMG)).map((c) => c.pointer)).toEqual(['/spec/template/spec/containers/0/image']);
    expect(imagesOf(fixtureObject('cronjob', IMG)).map((c) => c.pointer)).toEqual(['/spec/jobTemplate/spec/template/spec/containers/0/image']);
    for (const kind of ['StatefulSet', 'DaemonSet', 'ReplicaSet'] as const) {
      expect(imagesOf(workloadObject(kind, IMG)).map((c) => c.pointer)).toEqual(['/spec/template/spec/containers/0/image']);
    }
  });

  it('covers init and ephemeral containers', () => {
    const pod = fixtureObject('pod', IMG) as { spec: Record<string, unknown> };
    pod.spec.initContainers = [{ name: 'fetch', image: 'busybox' }];
    pod.spec.ephemeralContainers = [{ name: 'debug', image: 'debian:12' }];
    expect(imagesOf(pod).map((c) => [c.list, c.pointer, c.container])).toEqual([
      ['containers', '/spec/containers/0/image', 'train'],
      ['initContainers', '/spec/initContainers/0/image', 'fetch'],
      ['ephemeralContainers', '/spec/ephemeralContainers/0/image', 'debug'],
    ]);
  });

  it('ignores kinds without a pod spec and refuses malformed pod specs', () => {
    expect(imagesOf({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } })).toEqual([]);
    const bad = fixtureObject('pod', IMG) as { spec: Record<string, unknown> };
    bad.spec.containers = [{ name: 'x' }];
    expect(() => imagesOf(bad)).toThrow(BadReview);
    bad.spec.containers = 'nope';
    expect(() => imagesOf(bad)).toThrow(BadReview);
    expect(() => imagesOf({ kind: 'Deployment', apiVersion: 'apps/v1', spec: {} })).toThrow(BadReview);
  });
});

describe('pinning', () => {
  it('keeps the spelling and tag and appends the digest', () => {
    expect(pinImage('nginx:1.25', D)).toBe(`nginx:1.25@${D}`);
    expect(pinImage('reg:5000/a/b', D)).toBe(`reg:5000/a/b@${D}`);
    expect(pinnedDigest(`reg/a@${D}`)).toBe(D);
    expect(pinnedDigest('reg/a:1')).toBeUndefined();
  });
});

describe('parseReview', () => {
  it('refuses what the API server would never send', () => {
    expect(() => parseReview('{')).toThrow(BadReview);
    expect(() => parseReview('[]')).toThrow(BadReview);
    expect(() => parseReview(JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'u' } }))).toThrow(BadReview);
    let err: unknown;
    try {
      parseReview(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u1', operation: 'CREATE' } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadReview);
    expect((err as BadReview).uid).toBe('u1');
  });
});
