import { Router, type Request, type Response } from 'express';

import { csrfToken } from '../http/csrf.js';
import { hostNameOf, isLoopbackHostName } from '../lib/hostNames.js';
import { accountName } from '../present/accountName.js';
import { formatMoment } from '../present/dates.js';
import { localPath, withParams } from '../lib/localPath.js';
import { qrSvg, roomUrl } from '../present/roomQr.js';

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
  const connection = req.session.connection;
  if (!connection) {
    // "Connect with Nexmo" comes back to the page that sent the visitor here, if one did.
    const returnTo = localPath(req.query.return);
    res.render('home', { room, loginHref: returnTo === undefined || returnTo === '/' ? '/auth/login' : withParams('/auth/login', { return: returnTo }) });
    return;
  }
  res.render('home', {
    room,
    csrfToken: csrfToken(req),
    account: { name: accountName(connection.extra), connectedAt: formatMoment(connection.connectedAt) },
  });
}
