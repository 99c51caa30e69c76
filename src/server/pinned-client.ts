// A registry client that answers one manifest from bytes already fetched, so the gate verifies exactly the bytes it
// will serve (fetched once) while every other request goes to the upstream through the gate's own sessions.
import { toReference, RegistryClient, type FetchedManifest, type ImageReference, type RegistrySession } from '../registry/index.js';

/** A RegistryClient over `base`'s sessions whose `getManifest` of `pinned.digest` returns `pinned` itself. */
export class PinnedClient extends RegistryClient {
  constructor(
    private readonly base: RegistryClient,
    private readonly pinned: FetchedManifest,
  ) {
    super({ events: base.events });
  }

  /** The base client's session (its credentials, tokens and fetch policy). */
  override session(registry: string): RegistrySession {
    return this.base.session(registry);
  }

  /** The pinned manifest when asked for its digest; anything else from the upstream. */
  override async getManifest(ref: ImageReference | string, opts: { accept?: readonly string[] } = {}): Promise<FetchedManifest> {
    if (toReference(ref).reference === this.pinned.digest) return this.pinned;
    return super.getManifest(ref, opts);
  }
}
