// The SMS form's "Sends to +44 7700 900123 (United Kingdom)" under the To field, kept current as
// the person types. Reading a number takes the phone-number metadata, which lives on the server
// (the browser build bundles no package), so the app answers at /sms/preview
// (src/routes/numberPreview.ts). Without this script the server still draws the preview of the
// number it was sent.

const PREVIEW_URL = '/sms/preview';
/** Ask once typing pauses, not for every key. */
const PAUSE_MS = 300;
/** The field's maxlength: longer is not a number the form takes (the app refuses it too). */
const MAX_LENGTH = 32;

const input = document.getElementById('to');

/**
 * A polite live region that stays in the page, so a preview appearing is read out; the preview
 * itself (#to-preview, as the server draws it) comes and goes inside it.
 */
function liveRegion(field: HTMLInputElement): HTMLElement {
  const region = document.createElement('div');
  region.id = 'to-preview-live';
  region.setAttribute('aria-live', 'polite');
  const drawn = document.getElementById('to-preview');
  if (drawn) {
    drawn.replaceWith(region);
    region.append(drawn);
  } else {
    (field.closest('.field') ?? field.parentElement)?.append(region);
  }
  return region;
}

/** Shows "Sends to <strong>…</strong>", as text only, or nothing. */
function show(region: HTMLElement, preview: string | undefined): void {
  const current = document.getElementById('to-preview');
  if (preview === undefined) {
    current?.remove();
    return;
  }
  if (current?.querySelector('strong')?.textContent === preview) return;
  const strong = document.createElement('strong');
  strong.textContent = preview;
  const line = document.createElement('p');
  line.className = 'hint';
  line.id = 'to-preview';
  line.append('Sends to ', strong);
  if (current) current.replaceWith(line);
  else region.append(line);
}

/** Previews the number in `field` whenever typing pauses, and once the page is shown. */
function watch(field: HTMLInputElement): void {
  const region = liveRegion(field);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asking: AbortController | undefined;
  // What the preview shown is for: the number as the server drew it, if it drew one.
  let shownFor: string | undefined = document.getElementById('to-preview') ? field.value : undefined;

  async function update(): Promise<void> {
    const value = field.value;
    if (value === shownFor) return;
    asking?.abort();
    if (value.trim() === '' || value.length > MAX_LENGTH) {
      show(region, undefined);
      shownFor = value;
      return;
    }
    const controller = new AbortController();
    asking = controller;
    let answer: { preview?: unknown } | undefined;
    try {
      const response = await fetch(`${PREVIEW_URL}?to=${encodeURIComponent(value)}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal });
      const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
      // Disconnected meanwhile, or a page that is not the app's answer: show nothing rather than guess.
      answer = json && !response.redirected ? ((await response.json()) as { preview?: unknown }) : {};
    } catch {
      // Superseded by newer typing, or the network is away: the next keystroke asks again.
      return;
    }
    if (controller.signal.aborted || field.value !== value) return;
    // A number the form would refuse shows no preview; the form says why when it is sent.
    show(region, typeof answer.preview === 'string' ? answer.preview : undefined);
    shownFor = value;
  }

  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), PAUSE_MS);
  });
  // A number the browser put back (Back, a restored tab) is previewed without waiting for a key.
  window.addEventListener('pageshow', () => void update());
  void update();
}

if (input instanceof HTMLInputElement) watch(input);
