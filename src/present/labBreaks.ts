// The lab's break-it buttons ("How it works", views/partials/lab-breaks.ejs): which switches a
// person may press from the app, what is armed, and the words of a press that cannot be done.
import type { PressableControl } from '@nexmo-oauth/sandbox';

import type { PageWords } from './pageWords.js';

/** The app's own list (the sandbox package is loaded in sandbox mode only), checked against the sandbox's. */
export const LAB_BREAK_ACTIONS = ['break-signature', 'break-nonce', 'break-token', 'cancel-break'] as const satisfies readonly PressableControl[];
export type LabBreakAction = (typeof LAB_BREAK_ACTIONS)[number];

export function isLabBreakAction(value: unknown): value is LabBreakAction {
  return typeof value === 'string' && (LAB_BREAK_ACTIONS as readonly string[]).includes(value);
}

/** The notice (present/notices.ts) each press comes back to the lab with. */
export const LAB_BREAK_NOTICES: Readonly<Record<LabBreakAction, string>> = {
  'break-signature': 'break-signature',
  'break-nonce': 'break-nonce',
  'break-token': 'break-token',
  'cancel-break': 'break-cancelled',
};

/** What the partial is given: the break armed for the person now, if any (a revoke is done at once, never armed). */
export type ArmedBreak = 'signature' | 'nonce' | undefined;

/** The armed break among the sandbox's switches for the person (switchesFor's `kind`). */
export function armedBreakOf(switches: ReadonlyArray<{ kind: string }>): ArmedBreak {
  if (switches.some((s) => s.kind === 'break-signature')) return 'signature';
  if (switches.some((s) => s.kind === 'break-nonce')) return 'nonce';
  return undefined;
}

/** The partial's locals, as the lab's route passes them (see routes/labBreaks.ts). */
export interface LabBreaksLocals {
  csrfToken: string;
  armed: ArmedBreak;
}

const BACK_TO_THE_LAB = { href: '/how-it-works#break', label: 'Back to How it works' };

export const NOT_A_BREAK: PageWords = {
  title: 'That is not one of the break-it switches',
  message: 'Nothing was changed. Use the buttons under “Break the next call” on How it works.',
  action: BACK_TO_THE_LAB,
};

export const NO_SANDBOX_ACCOUNT: PageWords = {
  title: 'This connection has no sandbox account',
  message: 'The provider did not name the account you connected to, so there is nothing to break. Nothing was changed.',
  action: BACK_TO_THE_LAB,
};
