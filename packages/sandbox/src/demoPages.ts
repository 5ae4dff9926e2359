/**
 * The sandbox's pages for people running a demo, behind the sandbox's own sign-in
 * (sessions.ts, demoSignIn.ts): the outbox of the signed-in account (demoOutboxPage.ts), and
 * the demo controls (demoControlsPage.ts, pressed in demoControlActions.ts: test numbers,
 * balance reset, revoking the app's access, slow and stalled calls, the app's clock off).
 * Their forms are taken only from the sandbox's own pages (demoForms.ts).
 */
import type { Router } from 'express';
import type { SandboxContext } from './context.js';
import { control } from './demoControlActions.js';
import { controlsPage } from './demoControlsPage.js';
import { formBody, formError } from './demoForms.js';
import { outboxPage } from './demoOutboxPage.js';
import { CONTROLS_PATH, OUTBOX_PATH, SIGN_IN_PATH } from './demoPaths.js';
import { signIn, signInPage } from './demoSignIn.js';

export { CONTROLS_PATH, OUTBOX_PATH, SIGN_IN_PATH } from './demoPaths.js';

export function mountDemoPages(router: Router, context: SandboxContext): void {
  const form = formBody();
  router.route(SIGN_IN_PATH).get(signInPage(context)).post(form, signIn(context), formError);
  router.get(OUTBOX_PATH, outboxPage(context));
  router.route(CONTROLS_PATH).get(controlsPage(context)).post(form, control(context), formError);
}
