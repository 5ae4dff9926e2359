/**
 * The demo switches that are on for one account right now, for a host app to show in a banner
 * ("this is why your sends fail") with a link to where each is turned off. Revoking and resetting
 * the balance are not listed: they are done once, not left on.
 *
 * The app asks on every page it renders for a connected user, so this is one round of reads
 * made at once (the clock and each kind of call that can be armed), never one after another.
 */
import { isAccountName } from './accountNames.js';
import { CLOCK_SHIFT_MS } from './clock.js';
import type { SandboxContext } from './context.js';
import { DELAYED_CALLS } from './delays.js';
import type { DelayedCall, DelayMode } from './delays.js';
import { CONTROLS_PATH } from './demoPaths.js';

export interface ActiveSwitch {
  /** What is on: the app's clock counted as off, or a call armed slow or to time out. */
  readonly kind: 'clock-off' | DelayMode | 'break-signature' | 'break-nonce';
  /** For `slow` and `stall`: which call is armed. */
  readonly call?: DelayedCall;
  /** A short plain-language sentence for a banner, e.g. "This app’s clock counts as 10 minutes off". */
  readonly label: string;
  /**
   * Where on the demo controls it is turned off, relative to the sandbox's mount point (e.g.
   * "/controls#clock-title": the app links to `/sandbox/controls#clock-title`).
   */
  readonly path: string;
}

/** How a banner names the next call of each kind. */
const NEXT_CALL: Readonly<Record<DelayedCall, string>> = {
  sms: 'The next SMS sent',
  balance: 'The next balance check',
  connect: 'The next connection to this account',
};

export async function activeSwitches(context: SandboxContext, account: string): Promise<ActiveSwitch[]> {
  if (typeof account !== 'string') throw new TypeError('switchesFor(account) needs the account name as a string');
  // A name the sandbox would never give an account has nothing switched on.
  if (!isAccountName(account)) return [];
  const [shiftMs, armed, broken] = await Promise.all([context.clock.shiftMs(account), context.delays.armed(account), context.breaks.armed(account)]);
  const switches: ActiveSwitch[] = [];
  if (shiftMs !== 0) {
    switches.push({ kind: 'clock-off', label: `This app’s clock counts as ${CLOCK_SHIFT_MS / 60_000} minutes off`, path: `${CONTROLS_PATH}#clock-title` });
  }
  for (const call of DELAYED_CALLS) {
    const mode = armed[call];
    if (mode === undefined) continue;
    const label =
      mode === 'slow'
        ? `${NEXT_CALL[call]} waits ${context.delays.slowMs / 1000} s before it is answered`
        : `${NEXT_CALL[call]} is not answered: it times out`;
    switches.push({ kind: mode, call, label, path: `${CONTROLS_PATH}#delays-title` });
  }
  if (broken !== undefined) {
    const label = broken === 'signature' ? 'The next signed call is refused: its signature will not match (signature_invalid)' : 'The next signed call is refused as a replay (nonce_used)';
    switches.push({ kind: broken === 'signature' ? 'break-signature' : 'break-nonce', label, path: `${CONTROLS_PATH}#break-title` });
  }
  return switches;
}
