// Exemptions of the admission configuration: namespaces and image glob patterns.
import picomatch from 'picomatch';
import { parseReference } from '../../registry/index.js';
import type { AdmissionConfig } from './types.js';

/** Tests images against the exempt patterns, as written and fully qualified (`nginx` is `docker.io/library/nginx:latest`). */
export function imageExemption(config: AdmissionConfig): (image: string) => boolean {
  if (config.exemptImages.length === 0) return () => false;
  const match = picomatch(config.exemptImages, { dot: true });
  return (image) => {
    if (match(image)) return true;
    try {
      const ref = parseReference(image);
      return match(ref.toString()) || match(ref.repository);
    } catch {
      return false;
    }
  };
}

/** True when requests in `namespace` are not reviewed. */
export function namespaceExempt(config: AdmissionConfig, namespace: string): boolean {
  return namespace !== '' && config.exemptNamespaces.includes(namespace);
}
