import { Router, type Request, type Response } from 'express';

import { csrfToken } from '../csrf.js';
import { formatMoment } from '../present/dates.js';

interface Notice {
  kind: 'info' | 'success' | 'warning' | 'error';
  text: string;
  /** Shown only while the visitor is (or is not) connected, so an old link never contradicts the page. */
  when: 'connected' | 'disconnected';
}

/** Short notices other routes can ask the home page to show, by key (never reflected text). */
const NOTICES: Record<string, Notice> = {
  connected: { kind: 'success', text: 'Connected. You can send SMS now.', when: 'connected' },
  'already-connected': { kind: 'info', text: 'You’re connected: that sign-in was already completed in this browser, so nothing needed doing.', when: 'connected' },
  disconnected: { kind: 'info', text: 'Disconnected. The app no longer holds your Nexmo tokens.', when: 'disconnected' },
  'connect-first': { kind: 'info', text: 'Connect with Nexmo first to send SMS.', when: 'disconnected' },
  'session-expired': { kind: 'info', text: 'Your connection reached its time limit, so the app forgot your Nexmo tokens. Connect again to continue.', when: 'disconnected' },
  'token-revoked': {
    kind: 'warning',
    text: 'Nexmo no longer accepts this connection (it may have been revoked or expired), so the app disconnected you. Connect again to continue.',
    when: 'disconnected',
  },
};

export function homeRouter(): Router {
  const router = Router();
  router.get('/', show);
  return router;
}

function show(req: Request, res: Response): void {
  const noticeKey = typeof req.query.notice === 'string' ? req.query.notice : '';
  const connection = req.session.connection;
  // "Connected" on a page reached with the back button after disconnecting would be a lie.
  const found = Object.hasOwn(NOTICES, noticeKey) ? NOTICES[noticeKey] : undefined;
  const notice = found && found.when === (connection ? 'connected' : 'disconnected') ? found : undefined;
  if (!connection) {
    res.render('home', { notice });
    return;
  }
  res.render('home', {
    notice,
    csrfToken: csrfToken(req),
    account: { name: accountName(connection.extra), connectedAt: formatMoment(connection.connectedAt) },
  });
}

/** Providers name the user differently; show the first field that looks like a name. */
function accountName(extra: Record<string, string>): string | undefined {
  for (const key of ['username', 'screen_name', 'user_name', 'name', 'account_name']) {
    const value = extra[key];
    if (value) return value;
  }
  return undefined;
}
