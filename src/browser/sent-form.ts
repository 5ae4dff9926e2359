// A one-time form (data-once: the SMS form, whose key sends once) that the browser brings back
// from its back/forward cache after it was sent is a record of that send, not a new form:
// pressing its button again opens the message it sent, whatever was changed. So it says so: its
// fields become read-only, its button "Open the sent message", and a notice offers a new form
// with the same sender and recipient. Whether it was sent is the app's to say (the page may have
// been left before the post went out): the key's first half is the send's id, and the message's
// status answers only once the send is stored (the form names the send's id in data-send-id).
// A form loaded afresh has a new key and stays as it is.

import { SEND_ID } from '../lib/sendId.js';
import { forgetDraftOf } from './drafts.js';

function showSent(form: HTMLFormElement): void {
  // What was typed in it was sent: nothing to keep for the tab's next form.
  forgetDraftOf(form.dataset.sendId ?? '');
  for (const field of Array.from(form.querySelectorAll('input:not([type=hidden]), textarea'))) {
    if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.readOnly = true;
  }
  const button = form.querySelector('button[type=submit]');
  if (button instanceof HTMLButtonElement) {
    button.textContent = form.dataset.sentLabel ?? button.textContent;
    if (form.dataset.sentBusyLabel) button.dataset.busyLabel = form.dataset.sentBusyLabel;
    button.disabled = false;
  }
  const notice = form.querySelector('[data-sent-notice]');
  if (!(notice instanceof HTMLElement)) return;
  const another = notice.querySelector('a[data-send-another]');
  if (another instanceof HTMLAnchorElement) {
    const query = new URLSearchParams();
    for (const name of ['from', 'to']) {
      const field = form.elements.namedItem(name);
      if (field instanceof HTMLInputElement && field.value.trim() !== '') query.set(name, field.value);
    }
    another.search = query.toString();
  }
  notice.hidden = false;
}

// On the document, so that it runs after any handler on the form itself and sees its decision.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute('data-once')) return;
  form.dataset.submitted = 'true';
});

async function wasSent(form: HTMLFormElement): Promise<boolean> {
  // The form names its send's id itself; how keys are built is the server's business. Only an
  // id of a send id's shape is asked about, as the app looks up nothing else.
  const id = form.dataset.sendId ?? '';
  if (!SEND_ID.test(id)) return false;
  try {
    const answer = await fetch(`/messages/${encodeURIComponent(id)}/status.json`, { headers: { Accept: 'application/json' } });
    return answer.ok;
  } catch {
    // Offline or the app away: the form stays usable, and its key still sends at most once.
    return false;
  }
}

window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  for (const form of Array.from(document.querySelectorAll('form[data-once][data-submitted]'))) {
    if (form instanceof HTMLFormElement) void wasSent(form).then((sent) => sent && showSent(form));
  }
});
