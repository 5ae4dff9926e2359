// The public folder's files (styles, scripts, the icon), served by express.static. The folder is
// part of the build and does not change while the app runs, so its file list is read once: a
// request for any other path (every page, form and callback) goes on without the file-system
// look-up express.static would make for it.

import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import express, { type RequestHandler } from 'express';

export interface StaticFilesOptions {
  /** Cache lifetime for browsers, as express.static takes it. */
  maxAge: string | number;
}

export function staticFiles(dir: string, options: StaticFilesOptions): RequestHandler {
  const serve = express.static(dir, { index: false, maxAge: options.maxAge });
  const paths = new Set(publicPaths(dir));
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !paths.has(req.path)) return next();
    serve(req, res, next);
  };
}

/** Every file under `dir` as the URL path it is served at ("/css/app.css"). */
export function publicPaths(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')}`);
}
