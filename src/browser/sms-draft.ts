// What a person typed into the SMS form belongs to the tab they typed it in, and must survive
// that tab's detours: a revoked token or an expired connection sends them to connect again,
// and the form they come back to is a new one. So the form's fields are kept in the tab's own
// sessionStorage as they are typed (never on the server, never shared with another tab), put
// back into the next empty form in that tab with a word saying so, offered on the home page
// after connecting, and forgotten once the message they belong to has its page (it was sent).
// Without JavaScript the form works as before; only this keeping is lost.

import { forgetDraftOf, readDraft as read, writeDraft as write } from './drafts.js';

function field(form: HTMLFormElement, name: 'from' | 'to' | 'text'): HTMLInputElement | HTMLTextAreaElement | undefined {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement ? element : undefined;
}

/** Keeps the form's fields as they change, and puts a kept draft back into an empty form. */
function keepSmsForm(form: HTMLFormElement): void {
  const save = () =>
    write({ from: field(form, 'from')?.value ?? '', to: field(form, 'to')?.value ?? '', text: field(form, 'text')?.value ?? '', sendId: form.dataset.sendId ?? '' });
  const text = field(form, 'text');
  const draft = read();
  // "Send it again" shows a text that was sent already: a draft of it is nothing unsent.
  if (draft && form.hasAttribute('data-repeat') && text?.value === draft.text) write(undefined);
  // Only into a form that has no text of its own: one the server drew with text (a repeat, a
  // refused form) or one the browser refilled after Back already holds what matters.
  if (draft && text && text.value.trim() === '' && !form.hasAttribute('data-repeat')) {
    for (const name of ['from', 'to', 'text'] as const) {
      const target = field(form, name);
      if (target && draft[name] !== '') {
        target.value = draft[name];
        // The counter and the number preview listen for input.
        target.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }
    const notice = document.querySelector('[data-draft-notice]');
    if (notice instanceof HTMLElement) notice.hidden = false;
  }
  form.addEventListener('input', save);
  form.addEventListener('submit', save);
}

/** The home page, connected: a draft kept in this tab is offered. */
function offerDraft(offer: HTMLElement): void {
  const draft = read();
  if (!draft) return;
  const to = offer.querySelector('[data-draft-to]');
  if (to instanceof HTMLElement) to.textContent = draft.to === '' ? 'a recipient not chosen yet' : draft.to;
  offer.hidden = false;
}

const smsForm = document.querySelector('form[data-once]');
if (smsForm instanceof HTMLFormElement) keepSmsForm(smsForm);

const offer = document.querySelector('[data-draft-offer]');
if (offer instanceof HTMLElement) offerDraft(offer);

// A message's page: if the tab's draft was that message's form, it was sent; forget it.
const sent = document.querySelector('[data-message-id]');
if (sent instanceof HTMLElement && sent.dataset.messageId !== undefined) forgetDraftOf(sent.dataset.messageId);
