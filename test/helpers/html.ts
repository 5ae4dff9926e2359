/**
 * Pages read as a browser reads them: parsed into elements (node-html-parser), so a spec picks
 * out a form, a field, a link or a heading by what it is, not by how the template happens to
 * order its attributes. Entities are decoded, as a browser would.
 */
import { parse, type HTMLElement } from 'node-html-parser';

export type { HTMLElement };

/** The parsed page. */
export function pageOf(html: string): HTMLElement {
  return parse(html);
}

/** Text as a person reads it: entities decoded, runs of white space as one space, trimmed. */
export function textOf(element: HTMLElement): string {
  return element.text.replace(/\s+/g, ' ').trim();
}

/** The one element `selector` picks out; fails, naming the selector, when there is none. */
export function elementOf(html: string | HTMLElement, selector: string): HTMLElement {
  const root = typeof html === 'string' ? pageOf(html) : html;
  const found = root.querySelector(selector);
  if (!found) throw new Error(`no element matches ${selector}`);
  return found;
}

/** The visible text of every element `selector` picks out, in page order. */
export function textsOf(html: string | HTMLElement, selector: string): string[] {
  const root = typeof html === 'string' ? pageOf(html) : html;
  return root.querySelectorAll(selector).map(textOf);
}

/** Every link `selector` picks out (all links by default): where it goes and what it says. */
export function linksIn(html: string | HTMLElement, selector = 'a'): Array<{ href: string; text: string }> {
  const root = typeof html === 'string' ? pageOf(html) : html;
  return root.querySelectorAll(selector).map((a) => ({ href: a.getAttribute('href') ?? '', text: textOf(a) }));
}

/** The value a form control would submit: an input's value, a textarea's text, a select's chosen option. */
export function valueOf(control: HTMLElement): string {
  const tag = control.tagName.toLowerCase();
  if (tag === 'textarea') {
    // As the HTML parser does: one newline right after <textarea> belongs to the markup.
    return control.text.replace(/^\r?\n/, '');
  }
  if (tag === 'select') {
    const options = control.querySelectorAll('option');
    const chosen = options.find((o) => o.hasAttribute('selected')) ?? options[0];
    return chosen ? (chosen.getAttribute('value') ?? textOf(chosen)) : '';
  }
  return control.getAttribute('value') ?? '';
}

/** The current value of the field named `name` on the page (its first form control of that name). */
export function fieldValue(html: string | HTMLElement, name: string): string {
  return valueOf(elementOf(html, `[name="${name}"]`));
}

/** Input types that never submit a value of their own. */
const NOT_SUBMITTED = new Set(['submit', 'button', 'reset', 'image', 'file']);

/**
 * The fields a browser would submit for `form` when `button` is pressed: every enabled named
 * control, radio buttons and checkboxes only when checked, and the pressed button's own name.
 */
export function submittedFields(form: HTMLElement, button?: HTMLElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const control of form.querySelectorAll('input, textarea, select')) {
    const name = control.getAttribute('name');
    if (!name || control.hasAttribute('disabled')) continue;
    const type = (control.getAttribute('type') ?? 'text').toLowerCase();
    if (control.tagName.toLowerCase() === 'input' && NOT_SUBMITTED.has(type)) continue;
    if ((type === 'radio' || type === 'checkbox') && !control.hasAttribute('checked')) continue;
    fields[name] = valueOf(control);
  }
  const buttonName = button?.getAttribute('name');
  if (button && buttonName) fields[buttonName] = button.getAttribute('value') ?? '';
  return fields;
}

/** The action and the fields a browser would submit for the form containing the button labelled `label`. */
export function formFor(html: string, label: RegExp): { action: string; fields: Record<string, string> } {
  for (const form of pageOf(html).querySelectorAll('form')) {
    const button = form.querySelectorAll('button').find((b) => label.test(textOf(b)));
    if (!button) continue;
    return { action: form.getAttribute('action') ?? '', fields: submittedFields(form, button) };
  }
  throw new Error(`no form with a button matching ${label}`);
}

/** The CSRF token (the hidden `field`, `_csrf` in the app's forms) of the first form that has one. */
export function csrfFrom(html: string, field = '_csrf'): string {
  const token = pageOf(html).querySelector(`form input[type="hidden"][name="${field}"]`)?.getAttribute('value');
  if (!token) throw new Error(`no ${field} token on the page`);
  return token;
}

/**
 * The hidden fields a rendered SMS form posts back: the session's CSRF token and the form's own
 * one-time send key (a second post of the same form sends nothing again).
 */
export function smsFormTokens(html: string): { _csrf: string; sendKey: string; formAccount: string } {
  return { _csrf: csrfFrom(html), sendKey: csrfFrom(html, 'sendKey'), formAccount: csrfFrom(html, 'formAccount') };
}
