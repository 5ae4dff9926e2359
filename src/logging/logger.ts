// The app's logs: pino, JSON lines in production and readable text in development. This module
// makes loggers; it holds none. The process entry (server.ts) makes the one root logger and the
// composition hands it (or children of it) down; while handling a request, code logs through
// `req.log`, which carries the request id.

import { AsyncLocalStorage } from 'node:async_hooks';

import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

import type { LogLevel } from '../config/config.js';
import { redactSecrets, secretSerializers } from './redaction.js';

/** What a service needs of a logger: levels and children. A pino logger (and `req.log`) is one. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** A message, or fields (never secrets in text; fields named below are redacted) and a message. */
export interface LogFn {
  (msg: string): void;
  (fields: object, msg: string): void;
}

/** The root logger: a pino instance. */
export type RootLogger = pino.Logger;

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines (production) or readable text (development). */
  format: 'json' | 'pretty';
  /** Where lines go; stdout by default. Readable text needs a stream (a Writable). */
  destination?: DestinationStream;
}

/**
 * Stdout's JSON lines are gathered into writes of at least this many bytes: one write for many
 * requests' lines instead of a system call per line, which was two per send. pino flushes what
 * is gathered when the process exits, and within a second otherwise (see gatheredStdout).
 */
export const JSON_LOG_WRITE_BYTES = 4096;

/** Makes the root logger. Readable text and given streams are written as each line comes. */
export function createLogger(options: LoggerOptions): RootLogger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    // Secret-named fields are replaced at any depth in each line's fields, and at the top of a
    // child logger's bindings (see logRedaction.ts).
    formatters: { level: (label) => ({ level: label }), log: redactSecrets, bindings: redactSecrets },
    serializers: secretSerializers,
    // Who and where the process runs is the platform's to add; each line says what happened.
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === 'json') return pino(settings, options.destination ?? gatheredStdout());
  const readable = pretty({
    destination: options.destination ?? 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // The access line's message already says these.
    ignore: 'method,path,statusCode',
    singleLine: true,
  });
  return pino(settings, readable);
}

/** Stdout in writes of JSON_LOG_WRITE_BYTES, and whatever is gathered written within a second. */
function gatheredStdout(): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false, minLength: JSON_LOG_WRITE_BYTES });
  // A quiet server's lines (an error at night) still reach the platform promptly; the timer
  // keeps no process alive.
  setInterval(() => stdout.flush(), JSON_LOG_FLUSH_MS).unref();
  return stdout;
}

const JSON_LOG_FLUSH_MS = 1000;

/**
 * Adapts a logger to a plain `(line) => void` callback for code that takes no logger (the
 * sandbox package). Lines logged while a request runs through `withRequestLog` go to that
 * request's logger, so they carry its id; others to `fallback`. Both get `bindings`.
 */
export function lineLogger(fallback: Logger, bindings: Record<string, unknown>): (line: string) => void {
  const base = fallback.child(bindings);
  return (line) => {
    const current = requestLog.getStore();
    if (current) current.info(bindings, line);
    else base.info(line);
  };
}

const requestLog = new AsyncLocalStorage<Logger>();

/** Runs `next` (and what it awaits) with `log` as the current request's logger for `lineLogger`. */
export function withRequestLog(log: Logger, next: () => void): void {
  requestLog.run(log, next);
}

/** A logger that writes nothing (tests that do not look at logs). */
export const silentLogger: Logger = pino({ level: 'silent' });
