// The SMS form's draft kept in the tab's own sessionStorage (see sms-draft.ts): read, written and
// forgotten here only, so every script that learns a form was sent can forget its draft.

const KEY = 'nexmo-sms-draft';

export interface Draft {
  from: string;
  to: string;
  text: string;
  /** The send id of the form it was typed in (see data-send-id). */
  sendId: string;
}

export function readDraft(): Draft | undefined {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Draft> | null;
    if (!parsed || typeof parsed.text !== 'string' || parsed.text.trim() === '') return undefined;
    return { from: String(parsed.from ?? ''), to: String(parsed.to ?? ''), text: parsed.text, sendId: String(parsed.sendId ?? '') };
  } catch {
    // Storage off (private modes, quotas) or a value not of ours: there is no draft.
    return undefined;
  }
}

/** Keeps `draft`, or forgets the tab's draft when it has no text. */
export function writeDraft(draft: Draft | undefined): void {
  try {
    if (draft === undefined || draft.text.trim() === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Nothing to do: the form still works, it only won't be kept.
  }
}

/** The send `sendId` is stored: its form's draft is nothing unsent any more. */
export function forgetDraftOf(sendId: string): void {
  if (readDraft()?.sendId === sendId) writeDraft(undefined);
}
