// Python: the errno side of OSError (3.11): `OSError(errno, strerror)` picks the subclass
// (ConnectionResetError for ECONNRESET, ...) and formats `[Errno N] text`. Node names its errors
// by code ('ECONNRESET'); these helpers give the Python error for a code or an errno number.
import { constants as osConstants } from 'node:os';
import { describe } from '../internal/introspect';
import { getSystemErrorMap } from 'node:util';
import {
  BlockingIOError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError,
  FileNotFoundError, OSError, PermissionError, ProcessLookupError,
} from '../exceptions';

const ERRNO = osConstants.errno as Record<string, number | undefined>;
const STRERROR = new Map<number, string>();
for (const [neg, [, text]] of getSystemErrorMap()) STRERROR.set(-neg, text.charAt(0).toUpperCase() + text.slice(1));

/** Python's `str()` of a message part: any value (a JS caller may pass a Symbol, which `${}` refuses). */
function str(x: unknown): string {
  return String(x);
}

function errnoOf(code: string): number | undefined {
  return ERRNO[code];
}

const CLASSES: Record<string, new (message: string, errno?: number, code?: string) => OSError> = {
  ECONNRESET: ConnectionResetError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNABORTED: ConnectionAbortedError,
  EPIPE: BrokenPipeError,
  EAGAIN: BlockingIOError,
  EWOULDBLOCK: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  EALREADY: BlockingIOError,
  ENOENT: FileNotFoundError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ESRCH: ProcessLookupError,
};

/**
 * The Python OS error for a Node error code, e.g. `'ECONNRESET'` → ConnectionResetError with
 * errno 104 and the message `[Errno 104] Connection reset by peer` (plus `detail`, if given).
 * @see Python `OSError(errno, strerror)` (which picks the subclass from the errno)
 */
export function osError(code: string, detail?: string): OSError {
  const errno = errnoOf(code);
  const text = errno === undefined ? str(code) : STRERROR.get(errno) ?? code;
  const message = `${errno === undefined ? '' : `[Errno ${errno}] `}${text}${detail === undefined ? '' : `: ${str(detail)}`}`;
  const Cls = CLASSES[code] ?? OSError;
  return new Cls(message, errno, code);
}

/**
 * The Python OS error for an errno number, with Python's `[Errno N] message` text (the
 * system's text for `errno` when no message is given).
 * @see Python `OSError(errno, message)`
 */
export function errnoError(errno: number, message: string = STRERROR.get(errno) ?? `Unknown error ${String(errno)}`): OSError {
  let code: string | undefined;
  for (const [k, v] of Object.entries(ERRNO)) {
    if (v === errno) {
      code = k;
      break;
    }
  }
  const Cls = (code === undefined ? undefined : CLASSES[code]) ?? OSError;
  return new Cls(`[Errno ${String(errno)}] ${str(message)}`, errno, code);
}

/** @internal Turns a Node socket error into the Python OS error class (keeps the original as `cause`). */
export function fromNodeError(err: Error): OSError {
  if (err instanceof OSError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === undefined || errnoOf(code) === undefined) {
    const e = new OSError(err.message, undefined, code);
    (e as { cause?: unknown }).cause = err;
    return e;
  }
  const e = osError(code);
  (e as { cause?: unknown }).cause = err;
  return e;
}

/** getaddrinfo's error codes (glibc's EAI_* values, negative as Python reports them) and `gai_strerror` texts. */
const GAI: Readonly<Record<string, readonly [number, string]>> = {
  EAI_BADFLAGS: [-1, 'Bad value for ai_flags'],
  EAI_NONAME: [-2, 'Name or service not known'],
  EAI_AGAIN: [-3, 'Temporary failure in name resolution'],
  EAI_FAIL: [-4, 'Non-recoverable failure in name resolution'],
  EAI_NODATA: [-5, 'No address associated with hostname'],
  EAI_FAMILY: [-6, 'ai_family not supported'],
  EAI_SOCKTYPE: [-7, 'ai_socktype not supported'],
  EAI_SERVICE: [-8, 'Servname not supported for ai_socktype'],
  EAI_ADDRFAMILY: [-9, 'Address family for hostname not supported'],
  EAI_MEMORY: [-10, 'Memory allocation failure'],
  EAI_SYSTEM: [-11, 'System error'],
  EAI_OVERFLOW: [-12, 'Argument buffer overflow'],
};

/** @internal The EAI_ code names gaiError takes. */
export type GaiCode = 'EAI_BADFLAGS' | 'EAI_NONAME' | 'EAI_AGAIN' | 'EAI_FAIL' | 'EAI_NODATA' | 'EAI_FAMILY' | 'EAI_SOCKTYPE'
  | 'EAI_SERVICE' | 'EAI_ADDRFAMILY' | 'EAI_MEMORY' | 'EAI_SYSTEM' | 'EAI_OVERFLOW';

/**
 * A name-resolution error (getaddrinfo/getnameinfo): `errno` is glibc's negative EAI_ value,
 * `strerror` its `gai_strerror` text, the message `[Errno -2] Name or service not known`.
 * @see Python `socket.gaierror`
 * Differences:
 * - `host` keeps the name that failed (Python's message does not say it), or null.
 */
 
export class gaierror extends OSError {
  override readonly name: string = 'gaierror';
  /** glibc's `gai_strerror` text. */
  readonly strerror: string;
  /** The host that failed to resolve, when known. */
  host: string | null = null;

  /** A gaierror with `errno` (a negative EAI_ value) and its text (glibc's when not given). */
  constructor(errno: number, strerror?: unknown) {
    const entry = Object.entries(GAI).find(([, [n]]) => n === errno);
    const text = strerror === undefined ? entry?.[1][1] ?? `Unknown error ${String(errno)}` : typeof strerror === 'string' ? strerror : describe(strerror);
    super(`[Errno ${String(errno)}] ${text}`, errno, entry?.[0]);
    this.strerror = text;
  }
}

/**
 * @internal Python's `socket.gaierror` for a getaddrinfo code (`'EAI_NONAME'` → `[Errno -2] Name or
 * service not known`, plus `detail` if given): a {@link gaierror} whose `code` is the EAI_ code.
 */
export function gaiError(code: GaiCode, detail?: string): gaierror {
  const [errno, text] = GAI[code];
  const e = new gaierror(errno, text);
  if (detail !== undefined) (e as { message: string }).message += ` (${detail})`;
  return e;
}
