// Asks the app for JSON until the answer says nothing more will change: soon at first, then less
// and less often. A page that is not visible waits until it is shown again before asking.

/**
 * @param {() => string} url where to ask, read again before every request
 * @param {(data: any) => boolean} handle applies an answer; true when everything is final
 */
export function pollUntilFinal(url, handle, { first = 1000, factor = 1.5, max = 15000 } = {}) {
  let delay = first;
  async function tick() {
    if (document.hidden) {
      document.addEventListener('visibilitychange', tick, { once: true });
      return;
    }
    let response;
    try {
      response = await fetch(url(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    } catch {
      response = undefined; // a network blip: try again later, a little less often
    }
    if (response) {
      // Disconnected (redirected to the start page), gone, or not the app's JSON: stop quietly;
      // the page still shows what it had.
      const json = response.ok && !response.redirected && (response.headers.get('content-type') ?? '').startsWith('application/json');
      if (!json) return;
      let data;
      try {
        data = await response.json();
      } catch {
        return;
      }
      if (handle(data)) return;
    }
    delay = Math.min(delay * factor, max);
    setTimeout(tick, delay);
  }
  setTimeout(tick, first);
}
