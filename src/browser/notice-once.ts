// Every page: a notice the address names (`/?notice=connected`, where a login, a logout or an
// expired session sends the browser) is shown once. Once the page is shown, `notice` leaves the
// address with history.replaceState, so a reload, a bookmark or a copied link does not show the
// banner again; every other parameter and the hash stay exactly as they were written.

const PARAMETER = 'notice';

/** The name of one `name=value` pair of a query, as the server reads it (`+` is a space). */
function nameOf(pair: string): string | undefined {
  try {
    return decodeURIComponent((pair.split('=')[0] ?? '').replace(/\+/g, ' '));
  } catch {
    return undefined; // a malformed escape: not the notice, so it stays
  }
}

function forgetNotice(): void {
  const { pathname, search, hash } = window.location;
  const pairs = search.slice(1).split('&').filter((pair) => pair !== '');
  const kept = pairs.filter((pair) => nameOf(pair) !== PARAMETER);
  if (kept.length === pairs.length) return;
  history.replaceState(history.state, '', `${pathname}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash}`);
}

// Module scripts run once the page is parsed, the notice already drawn; a page brought back
// from the back/forward cache was shown with its address already clean.
forgetNotice();
