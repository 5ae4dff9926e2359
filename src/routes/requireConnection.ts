import type { NextFunction, Request, Response } from 'express';

import type { Connection } from '../oauth/loginFlow.js';

/** Lets connected users through; everyone else goes to the start page with a word why. */
export function requireConnection(req: Request, res: Response, next: NextFunction): void {
  if (req.session.connection) return next();
  res.redirect(303, '/?notice=connect-first');
}

/** The connection of a request that passed requireConnection. */
export function connectionOf(req: Request): Connection {
  const connection = req.session.connection;
  if (!connection) throw new Error('requireConnection must run first');
  return connection;
}
