// The CycloneDX 1.6 `modelCard` object of a model (the library has no model for it, so it is plain JSON).
import type { InvModel } from '../catalog/types.js';

/** Builds the CycloneDX modelCard for a model, or undefined when the card says nothing. */
export function modelCardJson(m: InvModel): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  if (m.card.task) params.task = m.card.task;
  if (m.card.modelType) params.architectureFamily = m.card.modelType;
  if (m.card.architectures?.length) params.modelArchitecture = m.card.architectures.join(', ');
  if (m.card.datasets?.length) params.datasets = m.card.datasets.map((name) => ({ type: 'dataset', name }));
  const props: Array<{ name: string; value: string }> = [];
  const add = (name: string, value: string | undefined) => value && props.push({ name, value });
  add('mlbuild:card:libraryName', m.card.libraryName);
  for (const b of m.card.baseModel ?? []) add('mlbuild:card:baseModel', b);
  add('mlbuild:card:license', m.card.license);
  add('mlbuild:card:licenseName', m.card.licenseName);
  add('mlbuild:card:licenseLink', m.card.licenseLink);
  for (const l of m.card.language ?? []) add('mlbuild:card:language', l);
  if (Object.keys(params).length === 0 && props.length === 0) return undefined;
  const card: Record<string, unknown> = {};
  if (Object.keys(params).length > 0) card.modelParameters = params;
  if (props.length > 0) card.properties = props;
  return card;
}
