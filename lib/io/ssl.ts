// Python: ssl.py (3.11): SSLContext, create_default_context, the constants and the SSLError
// family, over Node's `tls` secure contexts. A context collects its settings (certificate chain,
// trusted CAs, ALPN, versions, verification) and builds one Node SecureContext from them, rebuilt
// only after a change. Files are read and checked at the call (as Python's OpenSSL calls do), so a
// bad file is an error where it is loaded, never at the first handshake.
// Invariants: checkHostname on => verifyMode is not CERT_NONE; a context's protocol never changes.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import { OSError } from '../exceptions';
import { describe } from '../internal/introspect';
import { _argTypeError, _checkBoolean, _checkOptions } from '../internal/validate';
import { fromNodeError } from './oserrors';

/** A client-side context: verifies the server, checks its host name. @see Python `ssl.PROTOCOL_TLS_CLIENT` */
export const PROTOCOL_TLS_CLIENT = 16;
/** A server-side context. @see Python `ssl.PROTOCOL_TLS_SERVER` */
export const PROTOCOL_TLS_SERVER = 17;
/** No certificate is asked for or checked. @see Python `ssl.CERT_NONE` */
export const CERT_NONE = 0;
/** A peer certificate is checked if one is sent (server side). @see Python `ssl.CERT_OPTIONAL` */
export const CERT_OPTIONAL = 1;
/** A valid peer certificate is required. @see Python `ssl.CERT_REQUIRED` */
export const CERT_REQUIRED = 2;

/** What a context is for (Python's `_ASN1Object`s). @see Python `ssl.Purpose` */
export interface SSLPurpose {
  readonly nid: number;
  readonly shortname: string;
  readonly longname: string;
  readonly oid: string;
}

/** The two purposes of `createDefaultContext`. @see Python `ssl.Purpose` */
export const Purpose: { readonly SERVER_AUTH: SSLPurpose; readonly CLIENT_AUTH: SSLPurpose } = Object.freeze({
  SERVER_AUTH: Object.freeze({ nid: 129, shortname: 'serverAuth', longname: 'TLS Web Server Authentication', oid: '1.3.6.1.5.5.7.3.1' }),
  CLIENT_AUTH: Object.freeze({ nid: 130, shortname: 'clientAuth', longname: 'TLS Web Client Authentication', oid: '1.3.6.1.5.5.7.3.2' }),
});

/** The protocol versions of `minimumVersion`/`maximumVersion` (Node's names). @see Python `ssl.TLSVersion` */
export const TLSVersion = Object.freeze({
  MINIMUM_SUPPORTED: 'MINIMUM_SUPPORTED', TLSv1: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3', MAXIMUM_SUPPORTED: 'MAXIMUM_SUPPORTED',
} as const);
/** A value of {@link TLSVersion}. @see Python `ssl.TLSVersion` */
export type TLSVersionName = (typeof TLSVersion)[keyof typeof TLSVersion];
const VERSIONS: readonly string[] = Object.values(TLSVersion);

/**
 * An error of the TLS layer, with OpenSSL's library and reason names.
 * @see Python `ssl.SSLError`
 * Differences:
 * - The message has no `(_ssl.c:NNNN)` suffix.
 */
export class SSLError extends OSError {
  override readonly name: string = 'SSLError';
  /** OpenSSL's reason, e.g. `'WRONG_VERSION_NUMBER'` (null if none). */
  readonly reason: string | null;
  /** OpenSSL's library, e.g. `'SSL'` (null if none). */
  readonly library: string | null;
  constructor(message: string, reason: string | null = null, library: string | null = null, errno = 1) {
    super(message, errno);
    this.reason = reason;
    this.library = library;
  }
}

/**
 * A certificate that failed verification (untrusted, expired, wrong host name).
 * @see Python `ssl.SSLCertVerificationError` (also `ssl.CertificateError`)
 */
export class SSLCertVerificationError extends SSLError {
  override readonly name: string = 'SSLCertVerificationError';
  /** OpenSSL's X509_V_ERR code (18 self-signed, 10 expired, 62 host name mismatch, 64 IP mismatch). */
  readonly verifyCode: number;
  /** The text after `certificate verify failed: `. */
  readonly verifyMessage: string;
  constructor(verifyCode: number, verifyMessage: string) {
    const text: unknown = verifyMessage;
    super(`[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${typeof text === 'string' ? text : describe(text)}`, 'CERTIFICATE_VERIFY_FAILED', 'SSL', 1);
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
  }
}

/** Python's other name for {@link SSLCertVerificationError}. @see Python `ssl.CertificateError` */
export const CertificateError = SSLCertVerificationError;

/** OpenSSL library names as Python prints them. */
const LIBRARIES: Readonly<Record<string, string>> = {
  'SSL routines': 'SSL', 'PEM routines': 'PEM', 'x509 certificate routines': 'X509', 'digital envelope routines': 'EVP',
  'asn1 encoding routines': 'ASN1', 'DECODER routines': 'DECODER', 'Provider routines': 'PROV', 'elliptic curve routines': 'EC',
};

/** @internal Python's SSLError for an OpenSSL error thrown by Node (`[LIB: REASON] reason text`). */
export function _sslErrorFromNode(err: Error): SSLError | OSError {
  const e = err as Error & { code?: string; library?: string; reason?: string };
  if (e.library === undefined || e.reason === undefined) {
    const code = e.code ?? '';
    if (code.startsWith('ERR_SSL_')) {
      const reason = code.slice(8);
      return new SSLError(`[SSL: ${reason}] ${reason.toLowerCase().replace(/_/g, ' ')}`, reason, 'SSL');
    }
    return fromNodeError(err);
  }
  const library = LIBRARIES[e.library] ?? e.library.split(' ')[0].toUpperCase();
  const code = e.code ?? '';
  const prefix = code.startsWith('ERR_SSL_') ? 'ERR_SSL_' : `ERR_OSSL_${library}_`;
  const reason = code.startsWith(prefix) ? code.slice(prefix.length) : e.reason.toUpperCase().replace(/ /g, '_');
  const out = new SSLError(`[${library}: ${reason}] ${e.reason}`, reason, library);
  (out as { cause?: unknown }).cause = err;
  return out;
}

/** Node's verification codes → OpenSSL's X509_V_ERR number and Python's text. */
const VERIFY: Readonly<Partial<Record<string, readonly [number, string]>>> = {
  CERT_HAS_EXPIRED: [10, 'certificate has expired'],
  CERT_NOT_YET_VALID: [9, 'certificate is not yet valid'],
  DEPTH_ZERO_SELF_SIGNED_CERT: [18, 'self-signed certificate'],
  SELF_SIGNED_CERT_IN_CHAIN: [19, 'self-signed certificate in certificate chain'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [20, 'unable to get local issuer certificate'],
  // OpenSSL under Node reports 21 where Python's OpenSSL reports 20 for the same chain.
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [20, 'unable to get local issuer certificate'],
  UNABLE_TO_GET_ISSUER_CERT: [2, 'unable to get issuer certificate'],
  CERT_SIGNATURE_FAILURE: [7, 'certificate signature failure'],
  CERT_REVOKED: [23, 'certificate revoked'],
  INVALID_CA: [24, 'invalid CA certificate'],
  CERT_UNTRUSTED: [27, 'certificate not trusted'],
  CERT_REJECTED: [28, 'certificate rejected'],
  INVALID_PURPOSE: [26, 'unsupported certificate purpose'],
};

/** @internal The verification error for Node's `authorizationError` code. */
export function _verifyError(code: string): SSLCertVerificationError {
  const known = VERIFY[code];
  return known !== undefined ? new SSLCertVerificationError(known[0], known[1]) : new SSLCertVerificationError(0, code.toLowerCase().replace(/_/g, ' '));
}

function readFile(fn: string, arg: string, path: unknown): Buffer {
  if (typeof path !== 'string' && !(path instanceof Uint8Array)) throw _argTypeError(fn, arg, 'a path (string)', path);
  try {
    return readFileSync(typeof path === 'string' ? path : Buffer.from(path).toString());
  } catch (e) {
    throw fromNodeError(e as Error);
  }
}

function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof OSError) throw e;
    throw _sslErrorFromNode(e as Error);
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates (PEM) in `data`; PEM text or one DER certificate. */
function certsOf(data: Buffer | string, cadata = false): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const pems = text.match(PEM_CERT);
  if (pems !== null) return pems;
  if (typeof data !== 'string') {
    const x = checked(() => new X509Certificate(data));
    return [x.toString()];
  }
  if (cadata) throw new SSLError('no start line: cadata does not contain a certificate', 'NO_START_LINE', 'PEM');
  throw new SSLError('[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found', 'NO_CERTIFICATE_OR_CRL_FOUND', 'X509');
}

/**
 * The settings of TLS connections: certificates, trusted CAs, verification, ALPN, versions.
 * @see Python `ssl.SSLContext`
 * Differences:
 * - The protocol must be given (`PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER`): Python's default is deprecated.
 * - The default trust store is Node's (`tls.rootCertificates`, `NODE_EXTRA_CA_CERTS`).
 * - No `wrap_socket`/`wrap_bio` (use the loop's `ssl` options and `startTls`), no ciphers, SNI callbacks or sessions.
 */
export class SSLContext {
  /** `PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER`. @see Python `SSLContext.protocol` */
  readonly protocol: number;
  #checkHostname: boolean;
  #verifyMode: number;
  #cert: Buffer | null = null;
  #key: Buffer | null = null;
  #passphrase: string | undefined;
  #ca: string[] = [];
  #defaultCerts = false;
  #alpn: string[] | null = null;
  #min: TLSVersionName = 'MINIMUM_SUPPORTED';
  #max: TLSVersionName = 'MAXIMUM_SUPPORTED';
  #secure: SecureContext | null = null;

  /**
   * A new context for `protocol`.
   * @see Python `ssl.SSLContext()`
   * @throws {RangeError} "invalid or unsupported protocol version"
   */
  constructor(protocol: number) {
    if (protocol !== PROTOCOL_TLS_CLIENT && protocol !== PROTOCOL_TLS_SERVER) throw new RangeError('invalid or unsupported protocol version');
    this.protocol = protocol;
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this.#checkHostname = client;
    this.#verifyMode = client ? CERT_REQUIRED : CERT_NONE;
  }

  /** Whether the peer's host name is matched against its certificate. @see Python `SSLContext.check_hostname` */
  get checkHostname(): boolean {
    return this.#checkHostname;
  }

  set checkHostname(value: boolean) {
    _checkBoolean('checkHostname', 'value', value);
    if (value && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
    this.#checkHostname = value;
  }

  /** `CERT_NONE`, `CERT_OPTIONAL` or `CERT_REQUIRED`. @see Python `SSLContext.verify_mode` */
  get verifyMode(): number {
    return this.#verifyMode;
  }

  set verifyMode(value: number) {
    if (value !== CERT_NONE && value !== CERT_OPTIONAL && value !== CERT_REQUIRED) {
      throw new RangeError(`invalid value for verify_mode, got ${describe(value)}`);
    }
    if (value === CERT_NONE && this.#checkHostname) throw new RangeError('Cannot set verifyMode to CERT_NONE when checkHostname is enabled.');
    this.#verifyMode = value;
    this.#secure = null;
  }

  /** The lowest protocol version allowed (a `TLSVersion`). @see Python `SSLContext.minimum_version` */
  get minimumVersion(): TLSVersionName {
    return this.#min;
  }

  set minimumVersion(value: TLSVersionName) {
    if (!VERSIONS.includes(value)) throw _argTypeError('minimumVersion', 'value', 'a TLSVersion', value);
    this.#min = value;
    this.#secure = null;
  }

  /** The highest protocol version allowed (a `TLSVersion`). @see Python `SSLContext.maximum_version` */
  get maximumVersion(): TLSVersionName {
    return this.#max;
  }

  set maximumVersion(value: TLSVersionName) {
    if (!VERSIONS.includes(value)) throw _argTypeError('maximumVersion', 'value', 'a TLSVersion', value);
    this.#max = value;
    this.#secure = null;
  }

  /**
   * Loads this side's certificate chain (PEM) and private key (in `certfile` if `keyfile` is not given).
   * @see Python `SSLContext.load_cert_chain()`
   * @throws {FileNotFoundError} for a missing file; {SSLError} for a bad PEM, a wrong password or a key that does not match
   */
  loadCertChain(certfile: string, keyfile?: string | null, password?: string | Buffer | (() => string | Buffer) | null): void {
    const cert = readFile('loadCertChain', 'certfile', certfile);
    const key = keyfile == null ? cert : readFile('loadCertChain', 'keyfile', keyfile);
    let pass: string | undefined;
    if (typeof password === 'function') password = password();
    if (password != null) {
      if (typeof password !== 'string' && !(password instanceof Uint8Array)) throw _argTypeError('loadCertChain', 'password', 'a string, bytes or a function', password);
      pass = typeof password === 'string' ? password : Buffer.from(password).toString();
    }
    if (cert.toString('latin1').match(PEM_CERT) === null) throw new SSLError('[SSL] PEM lib', null, 'SSL', 9);
    checked(() => createSecureContext({ cert, key, passphrase: pass }));
    this.#cert = cert;
    this.#key = key;
    this.#passphrase = pass;
    this.#secure = null;
  }

  /**
   * Trusts the CA certificates in `cafile` (PEM), in the files of `capath`, or in `cadata` (PEM text or DER bytes).
   * @see Python `SSLContext.load_verify_locations()`
   * @throws {TypeError} "cafile, capath and cadata cannot be all omitted"; {FileNotFoundError}; {SSLError} for data with no certificate
   */
  loadVerifyLocations(cafile?: string | null, capath?: string | null, cadata?: string | Uint8Array | null): void {
    if (cafile == null && capath == null && cadata == null) throw new TypeError('cafile, capath and cadata cannot be all omitted');
    const add: string[] = [];
    if (cafile != null) add.push(...certsOf(readFile('loadVerifyLocations', 'cafile', cafile)));
    if (capath != null) {
      if (typeof capath !== 'string') throw _argTypeError('loadVerifyLocations', 'capath', 'a path (string)', capath);
      let names: string[];
      try {
        names = readdirSync(capath);
      } catch (e) {
        throw fromNodeError(e as Error);
      }
      for (const name of names) {
        const path = `${capath}/${name}`;
        try {
          if (!statSync(path).isFile()) continue;
          const text = readFileSync(path, 'latin1');
          add.push(...(text.match(PEM_CERT) ?? []));
        } catch {
          // Unreadable entries are skipped, as OpenSSL's hashed directory lookup does.
        }
      }
    }
    if (cadata != null) {
      if (typeof cadata !== 'string' && !(cadata instanceof Uint8Array)) throw _argTypeError('loadVerifyLocations', 'cadata', 'a string or bytes', cadata);
      add.push(...certsOf(typeof cadata === 'string' ? cadata : Buffer.from(cadata), true));
    }
    for (const pem of add) checked(() => new X509Certificate(pem));
    this.#ca.push(...add);
    this.#secure = null;
  }

  /**
   * Trusts the default CA store.
   * @see Python `SSLContext.load_default_certs()`
   * Differences:
   * - The store is Node's (`tls.rootCertificates` and `NODE_EXTRA_CA_CERTS`), whatever `purpose` is.
   */
  loadDefaultCerts(purpose: SSLPurpose = Purpose.SERVER_AUTH): void {
    if (purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH) throw _argTypeError('loadDefaultCerts', 'purpose', 'a Purpose', purpose);
    this.#defaultCerts = true;
    this.#secure = null;
  }

  /**
   * The protocols offered or accepted by ALPN, in order of preference.
   * @see Python `SSLContext.set_alpn_protocols()`
   * @throws {SSLError} "ALPN protocols must be 1 to 255 in length"
   */
  setAlpnProtocols(protocols: Iterable<string>): void {
    const list: unknown = protocols;
    if (list == null || typeof list === 'string' || typeof (list as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw _argTypeError('setAlpnProtocols', 'protocols', 'an iterable of strings', list);
    }
    const out: string[] = [];
    for (const p of list as Iterable<unknown>) {
      if (typeof p !== 'string') throw _argTypeError('setAlpnProtocols', 'protocols', 'an iterable of strings', p);
      const n = Buffer.byteLength(p);
      if (n < 1 || n > 255) throw new SSLError('ALPN protocols must be 1 to 255 in length');
      out.push(p);
    }
    this.#alpn = out;
  }

  /** @internal The ALPN list, or null. */
  get _alpn(): string[] | null {
    return this.#alpn;
  }

  /** @internal Whether `loadCertChain` was called. */
  _hasCert(): boolean {
    return this.#cert !== null;
  }

  /** @internal The Node secure context of these settings (built once per change). */
  _secureContext(): SecureContext {
    if (this.#secure !== null) return this.#secure;
    const opts: SecureContextOptions = {};
    if (this.#cert !== null) {
      opts.cert = this.#cert;
      opts.key = this.#key ?? undefined;
      if (this.#passphrase !== undefined) opts.passphrase = this.#passphrase;
    }
    // An explicit list (even empty) replaces Node's default store: Python trusts nothing until told.
    if (!this.#defaultCerts) opts.ca = this.#ca.slice();
    else if (this.#ca.length > 0) opts.ca = [...rootCertificates, ...this.#ca];
    if (this.#min !== 'MINIMUM_SUPPORTED') opts.minVersion = this.#min as SecureContextOptions['minVersion'];
    if (this.#max !== 'MAXIMUM_SUPPORTED') opts.maxVersion = this.#max as SecureContextOptions['maxVersion'];
    this.#secure = checked(() => createSecureContext(opts));
    return this.#secure;
  }

  toString(): string {
    return `<SSLContext protocol=${this.protocol === PROTOCOL_TLS_CLIENT ? 'PROTOCOL_TLS_CLIENT' : 'PROTOCOL_TLS_SERVER'}>`;
  }
}

/** Options of {@link createDefaultContext}. @see Python `ssl.create_default_context()` */
export interface CreateDefaultContextOptions {
  /** A PEM file of CA certificates to trust instead of the default store. */
  cafile?: string | null;
  /** A directory of PEM CA certificates to trust instead of the default store. */
  capath?: string | null;
  /** CA certificates (PEM text or DER bytes) to trust instead of the default store. */
  cadata?: string | Uint8Array | null;
}

const DEFAULT_CONTEXT_KEYS = ['cafile', 'capath', 'cadata'] as const satisfies readonly (keyof CreateDefaultContextOptions)[];

/**
 * A context with secure defaults: for `Purpose.SERVER_AUTH` (the default) a client context that
 * verifies the server and its host name against the default store (or `cafile`/`capath`/`cadata`);
 * for `Purpose.CLIENT_AUTH` a server context.
 * @see Python `ssl.create_default_context()`
 * Differences:
 * - The default store is Node's (`tls.rootCertificates`, `NODE_EXTRA_CA_CERTS`).
 */
export function createDefaultContext(purpose: SSLPurpose = Purpose.SERVER_AUTH, opts?: CreateDefaultContextOptions): SSLContext {
  _checkOptions('createDefaultContext', opts, DEFAULT_CONTEXT_KEYS);
  if (purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH) throw _argTypeError('createDefaultContext', 'purpose', 'a Purpose', purpose);
  const ctx = new SSLContext(purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER);
  if (opts?.cafile != null || opts?.capath != null || opts?.cadata != null) ctx.loadVerifyLocations(opts.cafile, opts.capath, opts.cadata);
  else if (ctx.verifyMode !== CERT_NONE) ctx.loadDefaultCerts(purpose);
  return ctx;
}

/** Python's long names of X.509 attribute short names. */
const LONG_NAMES: Readonly<Record<string, string>> = {
  CN: 'commonName', O: 'organizationName', OU: 'organizationalUnitName', C: 'countryName', ST: 'stateOrProvinceName',
  L: 'localityName', emailAddress: 'emailAddress', DC: 'domainComponent', serialNumber: 'serialNumber', street: 'streetAddress',
  GN: 'givenName', SN: 'surname', title: 'title', UID: 'userId', postalCode: 'postalCode', businessCategory: 'businessCategory',
};

/** A peer certificate in Python's shape. @see Python `ssl.SSLSocket.getpeercert()` */
export type PeerCert = Record<string, unknown>;

function nameOf(dn: string): [string, string][][] {
  return dn.split('\n').filter((l) => l !== '').map((line) => {
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    return [[LONG_NAMES[k] ?? k, line.slice(i + 1)]];
  });
}

/** @internal Python's `getpeercert()` dict for a DER certificate. */
export function _peercertOf(der: Buffer): PeerCert {
  const x = new X509Certificate(der);
  const out: PeerCert = {
    subject: nameOf(x.subject), issuer: nameOf(x.issuer), version: 3, serialNumber: x.serialNumber.toUpperCase(),
    notBefore: x.validFrom, notAfter: x.validTo,
  };
  if (x.subjectAltName !== undefined) {
    out.subjectAltName = x.subjectAltName.split(', ').map((entry) => {
      const i = entry.indexOf(':');
      return [entry.slice(0, i), entry.slice(i + 1)];
    });
  }
  if (x.infoAccess !== undefined) {
    const ocsp: string[] = [];
    const ca: string[] = [];
    for (const line of x.infoAccess.split('\n')) {
      if (line.startsWith('OCSP - URI:')) ocsp.push(line.slice(11));
      else if (line.startsWith('CA Issuers - URI:')) ca.push(line.slice(17));
    }
    if (ocsp.length > 0) out.OCSP = ocsp;
    if (ca.length > 0) out.caIssuers = ca;
  }
  return out;
}

/** The secret bits of a cipher suite, from its name. */
function cipherBits(name: string): number | null {
  if (/AES_?256|CHACHA20|CAMELLIA256|ARIA256/.test(name)) return 256;
  if (/AES_?128|CAMELLIA128|ARIA128/.test(name)) return 128;
  return null;
}

/**
 * The TLS state of one connection (`getExtraInfo('ssl_object')`).
 * @see Python `ssl.SSLObject`
 */
export class SSLObject {
  readonly #tls: TLSSocket;
  readonly #peer: X509Certificate | undefined;
  /** The context the connection was made with. @see Python `SSLObject.context` */
  readonly context: SSLContext;
  /** Whether this is the server side. @see Python `SSLObject.server_side` */
  readonly serverSide: boolean;
  /** The host name the client asked for (null on a server or without one). @see Python `SSLObject.server_hostname` */
  readonly serverHostname: string | null;

  /** @internal Made by the TLS layer. */
  constructor(tls: TLSSocket, context: SSLContext, serverSide: boolean, serverHostname: string | null, peer: X509Certificate | undefined) {
    this.#tls = tls;
    this.#peer = peer; // Taken at the handshake: Node's getters may answer nothing later.
    this.context = context;
    this.serverSide = serverSide;
    this.serverHostname = serverHostname;
  }

  /** The protocol version, e.g. `'TLSv1.3'`. @see Python `SSLObject.version()` */
  version(): string | null {
    return this.#tls.getProtocol();
  }

  /** `[name, protocol, secretBits]`, e.g. `['TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256]`. @see Python `SSLObject.cipher()` */
  cipher(): [string, string, number | null] | null {
    const c = this.#tls.getCipher() as ReturnType<TLSSocket['getCipher']> | undefined;
    if (c === undefined) return null;
    return [c.name, c.version, cipherBits(c.name)];
  }

  /** Always null (no TLS compression). @see Python `SSLObject.compression()` */
  compression(): null {
    return null;
  }

  /**
   * The peer's certificate: Python's dict shape (`{}` if it was not verified), the DER bytes with
   * `binaryForm`, or null if the peer sent none.
   * @see Python `SSLObject.getpeercert()`
   */
  getpeercert(binaryForm = false): PeerCert | Buffer | null {
    const x = this.#peer;
    if (x === undefined) return null;
    if (binaryForm) return x.raw;
    if (this.context.verifyMode === CERT_NONE) return {};
    return _peercertOf(x.raw);
  }

  /** The protocol ALPN selected, or null. @see Python `SSLObject.selected_alpn_protocol()` */
  selectedAlpnProtocol(): string | null {
    const p = this.#tls.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  toString(): string {
    return `<SSLObject ${this.serverSide ? 'server' : 'client'}${this.serverHostname === null ? '' : ` ${this.serverHostname}`}>`;
  }
}

/**
 * Python's `ssl` module, as a namespace: `ssl.createDefaultContext()`, `new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)`.
 * @see Python `ssl`
 */
export const ssl = Object.freeze({
  SSLContext, SSLObject, SSLError, SSLCertVerificationError, CertificateError, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER,
  CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, Purpose, TLSVersion, createDefaultContext,
});
