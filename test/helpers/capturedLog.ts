import type { LogLevel } from '../../src/config/configTypes.js';
import { createLogger, type RootLogger } from '../../src/logging/logger.js';

/** One line of the app's log, parsed. */
export interface LogEntry {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  /** The app's own logger, as production makes it (JSON lines), writing into the arrays below. */
  log: RootLogger;
  /** The message text of every line logged so far, in order. */
  logs: string[];
  /** Every line logged so far, parsed: the message and its fields (requestId, path, statusCode…). */
  logEntries: LogEntry[];
  /** Every line exactly as written. */
  rawLogs: string[];
}

/** A logger for a spec's app whose every line the spec can read. */
export function capturedLog(level: LogLevel): CapturedLog {
  const logs: string[] = [];
  const logEntries: LogEntry[] = [];
  const rawLogs: string[] = [];
  const log = createLogger({
    level,
    format: 'json',
    destination: {
      write(line: string) {
        rawLogs.push(line);
        const entry = JSON.parse(line) as LogEntry;
        logEntries.push(entry);
        logs.push(entry.msg);
      },
    },
  });
  return { log, logs, logEntries, rawLogs };
}
