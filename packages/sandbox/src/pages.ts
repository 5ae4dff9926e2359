/**
 * Rendering of the sandbox's own HTML pages. Views are rendered by absolute path so they work
 * whatever the host app set for `views` or `view engine` (Express loads ejs for the .ejs file).
 */
import { resolve } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { HelmetOptions } from 'helmet';
import { viewsDir } from './paths.js';
import { isSecureContext } from './secureContext.js';

export const ASSETS_PATH = '/sandbox-assets';

export function viewPath(name: string): string {
  return resolve(viewsDir, `${name}.ejs`);
}

/** Where renderPage leaves the page's form targets for the CSP below to read. */
const FORM_TARGETS = Symbol('sandbox form targets');
type WithTargets = Response & { [FORM_TARGETS]?: readonly string[] };

/**
 * The headers of every sandbox page, through helmet. Provider pages must not be framed
 * (clickjacking a consent page is the classic attack), nor run any script, nor leak their URL
 * (it carries the request token) as a referrer. `form-action` must also list where the consent
 * form's redirect lands, because Chromium applies it to the redirect after a form POST: that is
 * per response, read from what the page was rendered with.
 *
 * No upgrade-insecure-requests: on http it would send the browser to an https the sandbox may not
 * serve, and a client's http callback (a developer's localhost) must stay reachable even when the
 * sandbox itself is on https. No HSTS either: that is the host's decision, not a mounted router's.
 */
function pagePolicy(secureContext: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: [(_req, res) => ["'self'", ...((res as WithTargets)[FORM_TARGETS] ?? [])].join(' ')],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
    // Only where browsers apply them (see secureContext.ts); elsewhere each page would log errors.
    crossOriginOpenerPolicy: secureContext ? { policy: 'same-origin' } : false,
    originAgentCluster: secureContext,
  };
}
const secureContextHeaders: RequestHandler = helmet(pagePolicy(true));
const plainHttpHeaders: RequestHandler = helmet(pagePolicy(false));

/** nosniff for the stylesheet (put on the assets route only: the router may be mounted at "/"). */
export const assetHeaders: RequestHandler = helmet.xContentTypeOptions();

function setPageHeaders(req: Request, res: Response, formTargets: readonly string[]): void {
  (res as WithTargets)[FORM_TARGETS] = formTargets;
  let failure: unknown;
  // helmet's middleware runs synchronously; an error here would be a bad origin in formTargets.
  const pageHeaders = isSecureContext(req) ? secureContextHeaders : plainHttpHeaders;
  pageHeaders(req, res, (err?: unknown) => {
    failure = err;
  });
  if (failure !== undefined) throw failure;
  res.set('Cache-Control', 'no-store');
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
  setPageHeaders(req, res, options.formTargets ?? []);
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
  /** A way on from the dead end, e.g. back to the app. */
  action?: { href: string; label: string };
}

/** A plain-language dead end, for people rather than programs. */
export function renderProblemPage(req: Request, res: Response, page: ProblemPage): void {
  renderPage(req, res, 'problem', { title: page.title, message: page.message, action: page.action }, { status: page.status });
}
