/**
 * Rendering of the sandbox's own HTML pages. Views are rendered by absolute path so they work
 * whatever the host app set for `views` or `view engine` (Express loads ejs for the .ejs file).
 */
import { resolve } from 'node:path';
import type { Request, Response } from 'express';
import { viewsDir } from './paths.js';

export const ASSETS_PATH = '/sandbox-assets';

export function viewPath(name: string): string {
  return resolve(viewsDir, `${name}.ejs`);
}

/**
 * Provider pages must not be framed (clickjacking a consent page is the classic attack), nor
 * cached, nor run any script. `form-action` must also list where the consent form's redirect
 * lands, because browsers apply it to the redirect after a form POST.
 */
function setPageHeaders(res: Response, formTargets: readonly string[]): void {
  const formAction = ["'self'", ...formTargets].join(' ');
  res.set({
    'Cache-Control': 'no-store',
    'Content-Security-Policy':
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formAction}; ` +
      "frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
}

export interface PageOptions {
  status?: number;
  /** Origins the page's form may end up at (the consumer's callback). */
  formTargets?: readonly string[];
}

export function renderPage(
  req: Request,
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  options: PageOptions = {},
): void {
  setPageHeaders(res, options.formTargets ?? []);
  res.status(options.status ?? 200).render(viewPath(view), {
    ...locals,
    base: req.baseUrl,
    stylesheet: `${req.baseUrl}${ASSETS_PATH}/sandbox.css`,
  });
}

export interface ProblemPage {
  status: number;
  title: string;
  message: string;
}

/** A plain-language dead end, for people rather than programs. */
export function renderProblemPage(req: Request, res: Response, page: ProblemPage): void {
  renderPage(req, res, 'problem', { title: page.title, message: page.message }, { status: page.status });
}
