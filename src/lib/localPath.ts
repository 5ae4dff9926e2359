// Where a browser may be sent back to after a detour (a login): only a path on this very site.

const BASE = 'http://local.invalid';

/**
 * `value` as a path on this site ("/sms?to=…"), or undefined for anything that could lead
 * elsewhere or is not a plain path: another origin, a scheme, "//host", backslashes (which
 * browsers read as slashes), control characters, or more than 512 characters. A `notice`
 * parameter is dropped: it was said once already. The fragment is dropped too.
 */
export function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 512 || !value.startsWith('/') || value.startsWith('//')) return undefined;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  url.searchParams.delete('notice');
  return url.pathname + url.search;
}

/** `path` with `params` added to its query (undefined ones left out), for a redirect. */
export function withParams(path: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(path, BASE);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.pathname + url.search;
}
