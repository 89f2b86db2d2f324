// Python: asyncio/log.py (3.11): `logger = logging.getLogger('asyncio')`, the one logger every
// report of the loop goes through (the default exception handler, slow callbacks in debug mode,
// the swallowed-cancellation note), so a program can format, redirect or silence them. Without a
// handler a record is printed as Python's unconfigured logging prints it (its lastResort handler):
// the message, then the exception's traceback, no level prefix, on the console method of its level.
// Invariants: one console call per record, with one string; a record below the level, or any record
// while `disabled`, is dropped before it is formatted; a throwing handler never reaches the caller.
import type { BaseEventLoop } from './base-events';
import type { ExceptionContext } from './events';
import { _argTypeError } from './internal/validate';

/** A record's severity, lowest first. @see Python `logging.DEBUG` … `logging.CRITICAL` */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** One report of the loop. @see Python `logging.LogRecord` */
export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  /** The exception reported (Python: `exc_info`), or `null`. */
  readonly exception: Error | null;
  /** The exception handler's context, for reports of the default exception handler. */
  readonly context: ExceptionContext | null;
  readonly loop: BaseEventLoop | null;
}

/** What receives the records: one call per record. @see Python `logging.Handler.emit` */
export type LogHandler = (record: LogRecord) => void;

/** The optional details of a record. @see Python `Logger.error(msg, exc_info=, extra=)` */
export interface LogExtra {
  exception?: Error;
  context?: ExceptionContext;
  loop?: BaseEventLoop;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];

/**
 * A record as text, as Python's unconfigured logging writes it: the message, then (if any) the
 * exception's stack (or `Name: message`) on the next lines.
 * @see Python `logging.Formatter.format` (default format `%(message)s`)
 */
export function formatLogRecord(record: LogRecord): string {
  if (typeof record !== 'object' || (record as unknown) === null || typeof record.message !== 'string') {
    throw _argTypeError('formatLogRecord', 'record', 'a LogRecord', record);
  }
  const exc = record.exception;
  if (exc === null) return record.message;
  return `${record.message}\n${exc.stack ?? `${exc.name}: ${exc.message}`}`;
}

/** The console method of a level (Python's lastResort handler writes to stderr). */
function toConsole(record: LogRecord): void {
  const text = formatLogRecord(record);
  switch (record.level) {
    case 'error':
    case 'critical':
      console.error(text);
      break;
    case 'warning':
      console.warn(text);
      break;
    case 'info':
      console.info(text);
      break;
    case 'debug':
      console.debug(text);
      break;
  }
}

/**
 * The `asyncio` logger: the loop's reports go through it. Redirect them with
 * `logger.setHandler((r) => …)`, silence them with `logger.setLevel('critical')` or
 * `logger.disabled = true`.
 * @see Python `asyncio.log.logger` (`logging.getLogger('asyncio')`)
 * Differences:
 * - One logger: no hierarchy, propagation, handler list or formatter; levels are names, not numbers.
 */
export class Logger {
  /** The logger's name, as in Python. */
  readonly name = 'asyncio' as const;
  /** Drops every record while true (Python's `logger.disabled`). */
  disabled = false;
  #level = 2;
  #handler: LogHandler | null = null;

  /** Records below `level` are dropped (default `warning`). @see Python `Logger.setLevel` */
  setLevel(level: LogLevel): void {
    const n = LEVELS.indexOf(level);
    if (n < 0) throw _argTypeError('setLevel', 'level', `one of ${LEVELS.join(', ')}`, level);
    this.#level = n;
  }

  /** The current level. @see Python `Logger.getEffectiveLevel` */
  getLevel(): LogLevel {
    return LEVELS[this.#level];
  }

  /** Whether a record of `level` would be handled. @see Python `Logger.isEnabledFor` */
  isEnabledFor(level: LogLevel): boolean {
    return !this.disabled && LEVELS.indexOf(level) >= this.#level;
  }

  /** Sends every record to `handler` (`null`: the console). @see Python `Logger.addHandler` */
  setHandler(handler: LogHandler | null): void {
    if (handler !== null && typeof handler !== 'function') throw _argTypeError('setHandler', 'handler', 'a function or null', handler);
    this.#handler = handler;
  }

  /** The handler set, or `null` for the console. */
  getHandler(): LogHandler | null {
    return this.#handler;
  }

  /** Logs `message` at `debug`. @see Python `Logger.debug` */
  debug(message: string, extra?: LogExtra): void {
    this.#log('debug', message, extra);
  }

  /** Logs `message` at `info`. @see Python `Logger.info` */
  info(message: string, extra?: LogExtra): void {
    this.#log('info', message, extra);
  }

  /** Logs `message` at `warning`. @see Python `Logger.warning` */
  warning(message: string, extra?: LogExtra): void {
    this.#log('warning', message, extra);
  }

  /** Logs `message` at `error`. @see Python `Logger.error` */
  error(message: string, extra?: LogExtra): void {
    this.#log('error', message, extra);
  }

  /** Logs `message` at `critical`. @see Python `Logger.critical` */
  critical(message: string, extra?: LogExtra): void {
    this.#log('critical', message, extra);
  }

  #log(level: LogLevel, message: string, extra: LogExtra | undefined): void {
    if (!this.isEnabledFor(level)) return;
    const record: LogRecord = {
      level, message, exception: extra?.exception ?? null, context: extra?.context ?? null, loop: extra?.loop ?? null,
    };
    const handler = this.#handler;
    if (handler === null) {
      toConsole(record);
      return;
    }
    try {
      handler(record);
    } catch (e) {
      // Python's Handler.handleError: the record and the error go to stderr; the caller goes on.
      console.error(`--- Logging error ---\n${formatLogRecord(record)}\n${e instanceof Error ? e.stack ?? String(e) : String(e)}`);
    }
  }
}

/** The `asyncio` logger. @see Python `asyncio.log.logger` */
export const logger = new Logger();
