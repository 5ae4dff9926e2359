/** The outbox page: what the sandbox delivered for the signed-in account. */
import type { Request, Response } from 'express';
import type { SandboxContext } from './context.js';
import { navLocals, sessionOrSignIn } from './demoSignedIn.js';
import { renderPage } from './pages.js';

/** GET /outbox: what the sandbox delivered for the signed-in account, newest first. */
export function outboxPage(context: SandboxContext) {
  return async function outboxPageHandler(req: Request, res: Response): Promise<void> {
    const session = await sessionOrSignIn(context, req, res, 'outbox');
    if (session === undefined) return;
    const entries = (await context.outbox.list()).filter((entry) => entry.account === session.account);
    renderPage(req, res, 'outbox', { entries, ...navLocals(context, req, session, 'outbox') });
  };
}
