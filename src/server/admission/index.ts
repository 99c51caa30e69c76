// Kubernetes admission: AdmissionReview v1 routes (mutate pins verified digests, validate checks them), the
// configuration, and a standalone decider over the shared image verification.
export { admissionRoutes, type AdmissionHandler } from './routes.js';
export { loadAdmissionConfig, parseAdmissionConfig } from './config.js';
export { createDecider, type Decider, type DeciderOptions } from './decider.js';
export { parseReview, BadReview, type AdmissionRequest } from './review.js';
export { containerImages, type ContainerImage } from './images.js';
export { reviewResponse, type Verdict, type PatchOp } from './response.js';
export { pinImage, pinnedDigest } from './pin.js';
export { DEFAULT_ADMISSION_CONFIG, type AdmissionConfig, type AdmissionDeps, type Decide, type DecideOptions, type Decision, type DecisionFinding } from './types.js';
