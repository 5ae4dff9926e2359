import { afterEach, describe, expect, it, vi } from 'vitest';

// The counter is a browser script; a minimal stand-in for the two elements it touches is enough
// to check what it writes.
class FakeTextarea {
  value = '';
  listeners = new Map<string, () => void>();
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, listener);
  }
  type(value: string) {
    this.value = value;
    this.listeners.get('input')?.();
  }
}

class FakeOutput {
  textContent = 'rendered by the server';
  classes = new Set<string>();
  classList = {
    toggle: (name: string, force: boolean) => {
      if (force) this.classes.add(name);
      else this.classes.delete(name);
    },
  };
}

/** The window's events: the page being shown (on load, and again after Back). */
class FakeWindow {
  listeners = new Map<string, () => void>();
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, listener);
  }
  show() {
    this.listeners.get('pageshow')?.();
  }
}

/** Runs the script on a page that has the message field and the counter, or only one of them. */
async function loadCounter(initial: string, page: { field?: boolean; counter?: boolean } = {}) {
  const textarea = new FakeTextarea();
  textarea.value = initial;
  const output = new FakeOutput();
  const window = new FakeWindow();
  vi.stubGlobal('window', window);
  vi.stubGlobal('HTMLTextAreaElement', FakeTextarea);
  vi.stubGlobal('document', {
    querySelector: (selector: string) => (selector === 'textarea[name=text]' && page.field !== false ? textarea : null),
    getElementById: (id: string) => (id === 'sms-counter' && page.counter !== false ? output : null),
  });
  vi.resetModules();
  await import('../../src/browser/sms-counter.js');
  return { textarea, output, window };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sms-counter.js', () => {
  it('recounts a restored draft as soon as it loads', async () => {
    const { output } = await loadCounter('Hello');
    expect(output.textContent).toBe('5 characters · GSM-7 · 1 part (155 left in this part)');
  });

  it('recounts when the page is shown, for a text the browser put back without an input event', async () => {
    const { textarea, output, window } = await loadCounter('');
    expect(output.textContent).toBe('0 characters · the message is empty');
    // Chromium refills the field after Back once the script has run, and says nothing.
    textarea.value = 'Hello';
    window.show();
    expect(output.textContent).toBe('5 characters · GSM-7 · 1 part (155 left in this part)');
  });

  it('updates the sentence on every input', async () => {
    const { textarea, output } = await loadCounter('');
    expect(output.textContent).toBe('0 characters · the message is empty');
    textarea.type('ж'.repeat(71));
    expect(output.textContent).toBe('71 characters · Unicode (UCS-2) · 2 parts (63 left in this part)');
  });

  it('counts line breaks as the form submits them (CRLF), as the server will', async () => {
    const { textarea, output } = await loadCounter('');
    textarea.type('a\nb');
    expect(output.textContent).toBe('4 characters · GSM-7 · 1 part (156 left in this part)');
  });

  it('adds the warning class past 6 parts and removes it again', async () => {
    const { textarea, output } = await loadCounter('');
    textarea.type('a'.repeat(919));
    expect([...output.classes]).toEqual(['sms-counter--warning']);
    textarea.type('a'.repeat(918));
    expect([...output.classes]).toEqual([]);
  });

  it('leaves the server-rendered count alone on a page without the message field', async () => {
    const { output } = await loadCounter('Hello', { field: false });
    expect(output.textContent).toBe('rendered by the server');
    expect([...output.classes]).toEqual([]);
  });

  it('does not listen to the message field on a page without the counter', async () => {
    const { textarea } = await loadCounter('Hello', { counter: false });
    expect(textarea.listeners.size).toBe(0);
  });
});
