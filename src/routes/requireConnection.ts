import type { NextFunction, Request, Response } from 'express';

import { localPath, withParams } from '../lib/localPath.js';
import type { Connection } from '../oauth/loginFlow.js';

/**
 * Lets connected users through; everyone else goes to the start page with a word why, and the
 * page to come back to once connected: the one asked for, or for a form posted, its own page.
 */
export function requireConnection(req: Request, res: Response, next: NextFunction): void {
  if (req.session.connection) return next();
  res.redirect(303, withParams('/', { notice: 'connect-first', return: pageToReturnTo(req) }));
}

/**
 * The page a request came from or asked for, to return to after connecting: its path and query
 * when that is a plain local path of reasonable length, else its path alone.
 */
export function pageToReturnTo(req: Request): string {
  const path = `${req.baseUrl}${req.path === '/' ? '' : req.path}` || '/';
  return (req.method === 'GET' ? localPath(req.originalUrl) : undefined) ?? localPath(path) ?? '/';
}

/** The connection of a request that passed requireConnection. */
export function connectionOf(req: Request): Connection {
  const connection = req.session.connection;
  if (!connection) throw new Error('requireConnection must run first');
  return connection;
}
