import { Router, type Request, type Response } from 'express';

import { csrfToken } from '../http/csrf.js';
import { hostNameOf, isLoopbackHostName } from '../http/hosts.js';
import { formatMoment } from '../present/dates.js';
import { qrSvg, roomUrl } from '../present/roomQr.js';

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

export interface HomeDeps {
  /** The Network URLs the room can open (none when PUBLIC_URL is set). */
  networkUrls: () => string[];
}

export function homeRouter(deps: HomeDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => show(req, res, await roomInvite(req, deps)));
  return router;
}

/**
 * The Network URL and its QR code, for the presenter: only on a page opened at a loopback
 * address (on the machine running the app). Teammates who came in through the Network URL
 * already have it, and there is nothing to show when the machine has no network address.
 */
async function roomInvite(req: Request, deps: HomeDeps): Promise<{ url: string; svg: string } | undefined> {
  const name = hostNameOf(req.get('host'));
  if (!name || !isLoopbackHostName(name)) return undefined;
  const url = roomUrl(deps.networkUrls());
  if (url === undefined) return undefined;
  return { url: `${url}/`, svg: await qrSvg(`${url}/`) };
}

function show(req: Request, res: Response, room: { url: string; svg: string } | undefined): void {
  const noticeKey = typeof req.query.notice === 'string' ? req.query.notice : '';
  const connection = req.session.connection;
  // "Connected" on a page reached with the back button after disconnecting would be a lie.
  const found = Object.hasOwn(NOTICES, noticeKey) ? NOTICES[noticeKey] : undefined;
  const notice = found && found.when === (connection ? 'connected' : 'disconnected') ? found : undefined;
  if (!connection) {
    res.render('home', { notice, room });
    return;
  }
  res.render('home', {
    notice,
    room,
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
