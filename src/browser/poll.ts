// Asks the app for JSON until the answer says nothing more will change: soon at first, then less
// and less often. A page that is not visible waits until it is shown again before asking.

export interface PollTiming {
  /** Milliseconds before the first request. */
  first?: number;
  /** How much longer each wait is than the one before. */
  factor?: number;
  /** The longest wait, in milliseconds. */
  max?: number;
}

/**
 * @param url where to ask, read again before every request
 * @param handle applies an answer (the app's own JSON, of the shape its caller names); true when
 *   everything is final
 */
export function pollUntilFinal<T>(url: () => string, handle: (data: T) => boolean, { first = 1000, factor = 1.5, max = 15000 }: PollTiming = {}): void {
  let delay = first;
  async function tick(): Promise<void> {
    if (document.hidden) {
      document.addEventListener('visibilitychange', () => void tick(), { once: true });
      return;
    }
    let response: Response | undefined;
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
      let data: T;
      try {
        data = (await response.json()) as T;
      } catch {
        return;
      }
      if (handle(data)) return;
    }
    delay = Math.min(delay * factor, max);
    setTimeout(() => void tick(), delay);
  }
  setTimeout(() => void tick(), first);
}
