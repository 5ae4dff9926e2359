// Live length counter for the SMS form. The server already renders the first count into
// #sms-counter, so the page works without this script; this only keeps it current.
import { WARNING_CLASS, countSegments, describeCount, needsWarning } from './segments.js';

const textarea = document.querySelector('textarea[name=text]');
const output = document.getElementById('sms-counter');

/**
 * A textarea's value uses bare LF, but the form submits every line break as CRLF, and that is
 * what the server counts and sends. Count the submitted form so both show the same numbers.
 * @param {string} value
 */
function asSubmitted(value) {
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

function update() {
  if (!(textarea instanceof HTMLTextAreaElement) || !output) return;
  const count = countSegments(asSubmitted(textarea.value));
  const text = describeCount(count);
  // Rewriting identical text would make some screen readers announce it again.
  if (output.textContent !== text) output.textContent = text;
  output.classList.toggle(WARNING_CLASS, needsWarning(count));
}

if (textarea instanceof HTMLTextAreaElement && output) {
  textarea.addEventListener('input', update);
  // The browser may have restored a draft (back button) that the server-rendered count predates.
  update();
}
