// Tag listing with `Link` pagination.
import { fail } from '../core/errors.js';
import { repositoryScope } from './auth.js';
import { nextLink, readCapped } from './body.js';
import { responseError } from './errors.js';
import type { RegistrySession } from './session.js';

const MAX_PAGES = 1000;

/** Lists every tag of a repository, following `Link: <…>; rel="next"` pages. */
export async function fetchTags(s: RegistrySession, name: string): Promise<string[]> {
  const what = `tags of ${s.registry}/${name}`;
  const tags: string[] = [];
  let url: URL | undefined = s.url(`/v2/${name}/tags/list`);
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res = await s.request({ method: 'GET', path: url, scopes: [repositoryScope(name, 'pull')], retry: true, what });
    if (!res.ok) throw await responseError(res, what, s.registry);
    const body = await readCapped(res, 16 * 1024 * 1024, { what });
    let json: { tags?: unknown };
    try {
      json = JSON.parse(body.toString('utf8')) as { tags?: unknown };
    } catch (e) {
      fail('CORRUPT_INPUT', `${what}: not JSON`, { cause: e });
    }
    if (Array.isArray(json.tags)) tags.push(...json.tags.filter((t): t is string => typeof t === 'string'));
    url = nextLink(res, url);
  }
  return tags;
}
