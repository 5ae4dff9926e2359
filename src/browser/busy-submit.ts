// A form whose submit button carries data-busy-label (the SMS form: the provider may take
// seconds to answer) shows that it is on its way: once the browser really submits it, the
// button is disabled and says so, and a second press cannot send it again. Without this script
// the form posts as usual.
//
// Only the submit event counts: the browser does not fire it for a form its own validation
// refused, nor goes on with one a handler cancelled, and neither must leave the button disabled.

const BUSY = 'busyLabel';
const IDLE = 'idleLabel';

function setBusy(button: HTMLButtonElement): void {
  if (button.dataset[IDLE] === undefined) button.dataset[IDLE] = button.textContent ?? '';
  button.textContent = button.dataset[BUSY] ?? '';
  button.disabled = true;
}

function setIdle(button: HTMLButtonElement): void {
  const idle = button.dataset[IDLE];
  if (idle === undefined) return;
  button.textContent = idle;
  delete button.dataset[IDLE];
  button.disabled = false;
}

function busyButtons(form: HTMLFormElement): HTMLButtonElement[] {
  return Array.from(form.querySelectorAll('button[data-busy-label]')).filter((b) => b instanceof HTMLButtonElement);
}

// On the document, so that it runs after any handler on the form itself and sees its decision.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  // Disabled only after the submit event: the form still goes, as the browser has begun it.
  for (const button of busyButtons(form)) setBusy(button);
});

// Back to a page the browser kept whole (the back/forward cache): the form can be used again.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  for (const form of Array.from(document.forms)) for (const button of busyButtons(form)) setIdle(button);
});
