/**
 * How the demo pages take a form: only from the sandbox's own pages, its fields as strings, and
 * a plain page for anything else.
 *
 * Every POST must come from the sandbox's own pages: the controls carry the session's token in
 * each form, and both they and the sign-in refuse requests a browser marks as cross-site
 * (Sec-Fetch-Site), so another site can neither press a control nor sign a visitor in to an
 * account of its choosing.
 */
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { renderProblemPage } from './pages.js';
import type { ProblemPage } from './pages.js';
import { isBodyParseError } from './signedRequest.js';

/** The body parser for the demo pages' small forms. */
export function formBody(): RequestHandler {
  return express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
}

/** Sec-Fetch-Site, when the browser sends it, says whether the form was on the sandbox's own page. */
export function fromOwnPage(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin';
}

/** The form's fields that are plain strings. */
export function fields(req: Request): Map<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') map.set(name, value);
  return map;
}

/** A body the parser could not read gets a page saying so; other errors go on. */
export const formError: ErrorRequestHandler = (err, req, res, next) => {
  if (!isBodyParseError(err)) return next(err);
  renderProblemPage(req, res, UNKNOWN_CONTROL);
};

export const CROSS_SITE: ProblemPage = {
  status: 403,
  title: 'This form did not come from the sandbox',
  message: 'For your safety, the sandbox only takes forms sent from its own pages. Open the sandbox’s page again and use the form there.',
};
export const UNKNOWN_CONTROL: ProblemPage = {
  status: 400,
  title: 'This request could not be read',
  message: 'The form was not in a shape the sandbox understands. Open the demo controls again and use the form there.',
};
