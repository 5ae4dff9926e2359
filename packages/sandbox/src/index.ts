/**
 * A stand-in for Nexmo's retired OAuth 1.0a service and its SMS API, strict enough that any
 * RFC 5849 client can be tested against it. It verifies signatures with its own code
 * (rfc5849.ts), never with the library the app signs with.
 *
 * Creating a sandbox starts nothing: no timers, no sockets. Its state lives in the storage it
 * is given (storage.ts; process memory by default), so a sandbox re-created on the same storage,
 * or another instance sharing it, carries on where the last one left off.
 */
import express from 'express';
import type { Router } from 'express';
import { dateHeader } from './clock.js';
import { mountConsentRoutes } from './consent.js';
import { createContext } from './context.js';
import type { Stats } from './context.js';
import { mountTokenRoutes } from './oauthRoutes.js';
import { mountDemoPages } from './demoPages.js';
import type { OutboxEntry } from './outbox.js';
import { ASSETS_PATH, assetHeaders } from './pages.js';
import { resolveOptions } from './options.js';
import type { SandboxOptions } from './options.js';
import { publicDir } from './paths.js';
import { mountSmsApi } from './smsApi.js';

export { createMemoryStorage } from './storage.js';
export type { MemoryStorageOptions, SandboxStorage } from './storage.js';
export { DEMO_ACCOUNTS } from './accountNames.js';
export type { OutboxEntry } from './outbox.js';
export { CONTROLS_PATH, OUTBOX_PATH, SIGN_IN_PATH } from './demoPages.js';
export { TEST_NUMBERS } from './testNumbers.js';
import { TEST_NUMBERS } from './testNumbers.js';
export type { TestNumber, TestNumberOutcome } from './testNumbers.js';
export type { SandboxOptions } from './options.js';
export type { Stats } from './context.js';
export type { ActiveSwitch } from './switches.js';
export { PRESSABLE_CONTROLS } from './press.js';
export type { PressableControl } from './press.js';
import { checkedPress, press } from './press.js';
import type { PressableControl } from './press.js';
import { activeSwitches } from './switches.js';
import type { ActiveSwitch } from './switches.js';

export interface Sandbox {
  /** Mount anywhere: `app.use('/sandbox', sandbox.router)` or at '/'. */
  router: Router;
  consumerKey: string;
  consumerSecret: string;
  /**
   * What was "delivered", newest first, for every account (from the storage: every instance's
   * messages). The outbox page shows only the signed-in account's.
   */
  outbox(): Promise<ReadonlyArray<OutboxEntry>>;
  /** Calls that reached each endpoint of this sandbox, whatever their outcome. */
  stats(): Stats;
  /**
   * The demo switches on for `account` right now (its app's clock counted as off, each call armed
   * slow or to time out), each with a plain-language label and the place on the demo controls
   * that turns it off; empty when none is. For a banner on the host app's pages: one round of
   * storage reads made at once.
   */
  switchesFor(account: string): Promise<ActiveSwitch[]>;
  /**
   * Presses a break-it switch for `account`, as its button on the demo controls does: the next
   * signed call acting for it refused as a bad signature (`break-signature`) or a replay
   * (`break-nonce`), its access revoked (`break-token`), or an armed break disarmed
   * (`cancel-break`). For a host app whose person is connected as `account` and presses the
   * switch on the app's own page. Any other action, or a name the sandbox would never give an
   * account, is a TypeError and changes nothing.
   */
  press(account: string, action: PressableControl): Promise<void>;
  /** The recipients it answers by script (TEST_NUMBERS), as E.164 digits: nobody's phone. */
  testNumbers: readonly string[];
  /** Cancels delivery receipts not yet sent and answers calls still held by the demo controls. */
  close(): void;
}

/** Resolves once the consumer credentials are known (read from, or first written to, the storage). */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const context = await createContext(resolveOptions(options));
  const router = express.Router();

  router.use(ASSETS_PATH, assetHeaders, express.static(publicDir, { index: false, maxAge: '1h' }));
  router.use(dateHeader(context.now));
  mountTokenRoutes(router, context);
  mountConsentRoutes(router, context);
  mountSmsApi(router, context);
  mountDemoPages(router, context);

  return {
    router,
    consumerKey: context.consumerKey,
    consumerSecret: context.consumerSecret,
    outbox: () => context.outbox.list(),
    stats: () => ({ ...context.stats }),
    switchesFor: (account) => activeSwitches(context, account),
    press: async (account, action) => {
      const checked = checkedPress(account, action);
      await press(context, checked.account, checked.action);
      context.log(`sandbox: demo control used from the host app: ${checked.action}`);
    },
    testNumbers: Object.freeze(TEST_NUMBERS.map((n) => n.digits)),
    close: () => {
      context.receipts.close();
      context.delays.close();
    },
  };
}
