import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import type { RequestHandler } from 'express';

import { accountName } from '../present/accountName.js';
import type { DemoSwitchBanner } from '../present/demoSwitches.js';

/**
 * Sandbox mode: while a demo switch is on for the connected person's sandbox account (their own
 * clock set off, a call held), every page they open says so in its banner, with a link to where
 * it is turned off, so a failure they caused on purpose never looks like a broken app. Only
 * pages (GET, not the status polls) ask, and a store that cannot answer costs the banner, never
 * the page.
 */
export function demoSwitchBanner(switchesFor: ((account: string) => Promise<ActiveSwitch[]>) | undefined, mount: string): RequestHandler {
  return (req, res, next) => {
    const connection = req.session?.connection;
    const account = connection && accountName(connection.extra);
    if (!switchesFor || req.method !== 'GET' || account === undefined || req.path.endsWith('.json')) return next();
    switchesFor(account).then(
      (on) => {
        if (on.length > 0) {
          const banner: DemoSwitchBanner = { account, switches: on.map((s) => ({ label: s.label, href: `${mount}${s.path}` })) };
          res.locals.demoSwitches = banner;
        }
        next();
      },
      (err: unknown) => {
        req.log.warn(`could not read the demo switches: ${err instanceof Error ? err.message : 'error'}`);
        next();
      },
    );
  };
}
