/**
 * The break-it switches a host app may press for one of its people, who cannot post to the demo
 * controls from the app's own pages (the sandbox's sign-in cookie belongs to the sandbox): the
 * same one-shot switches as the controls' buttons, for the account the app says its person is
 * connected as. The other controls (the clock, slow calls, the balance) stay on the controls page.
 */
import { isAccountName } from './accountNames.js';
import type { SandboxContext } from './context.js';

export const PRESSABLE_CONTROLS = ['break-signature', 'break-nonce', 'break-token', 'cancel-break'] as const;
export type PressableControl = (typeof PRESSABLE_CONTROLS)[number];

export function isPressableControl(value: unknown): value is PressableControl {
  return typeof value === 'string' && (PRESSABLE_CONTROLS as readonly string[]).includes(value);
}

/** Arms (or disarms) a break for `account`, or revokes its access: what the control of that name does. */
export async function press(context: SandboxContext, account: string, action: PressableControl): Promise<void> {
  switch (action) {
    case 'break-signature':
      return context.breaks.arm(account, 'signature');
    case 'break-nonce':
      return context.breaks.arm(account, 'nonce');
    // The access token itself stops working: the next call asks to connect again.
    case 'break-token':
      return context.accessTokens.revokeAll(account);
    case 'cancel-break':
      return context.breaks.disarm(account);
  }
}

/** The handle's check: a name the sandbox would give an account, and one of the four switches. */
export function checkedPress(account: unknown, action: unknown): { account: string; action: PressableControl } {
  if (!isAccountName(account)) throw new TypeError('press(account, action) needs an account name as the sandbox keeps it');
  if (!isPressableControl(action)) throw new TypeError(`press(account, action) accepts only ${PRESSABLE_CONTROLS.join(', ')}`);
  return { account, action };
}
