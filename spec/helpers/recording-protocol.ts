// The Protocol that records its callbacks (CPython's test_utils.make_test_protocol, with a log):
// one class for the scripted-socket specs and the real-socket fault specs.
import { Protocol, getRunningLoop, type BaseTransport, type Future, type Transport } from '../../lib';

/**
 * How the log spells each callback: `python` as CPython names it (`connection_made`,
 * `data_received:<latin1>`, `eof_received`, `connection_lost:None|<error name>`, `pause_writing`,
 * `resume_writing`); `short` as the fault specs read (`made`, `data:<utf8>`, `eof`,
 * `lost:null|<error name>`, `pause`, `resume`).
 */
export type LogNames = 'python' | 'short';

export interface RecordingProtocolOptions {
  /** What eofReceived() returns when no `onEof` hook is set (Python's keep-open answer); undefined by default. */
  keepOpen?: boolean;
  /** How the log spells the callbacks; `python` by default. */
  names?: LogNames;
}

/** A Protocol that records each callback, for ordering assertions; hooks script its answers. */
export class RecordingProtocol extends Protocol {
  readonly log: string[] = [];
  readonly data: Buffer[] = [];
  transport: Transport | null = null;
  /** The error connectionLost() got (null for a clean close); undefined until it is called. */
  lostExc: Error | null | undefined = undefined;
  readonly keepOpen: boolean | undefined;
  readonly names: LogNames;
  /** Runs inside connectionMade (e.g. to pause reading). */
  onConnectionMade: ((transport: BaseTransport) => void) | null = null;
  /** Runs inside dataReceived (may throw). */
  onData: ((data: Buffer) => void) | null = null;
  /** Runs inside eofReceived: its result is eofReceived's (may throw). */
  onEof: (() => boolean | undefined) | null = null;
  #lost: Future<Error | null> | null = null;

  constructor(options: RecordingProtocolOptions = {}) {
    super();
    this.keepOpen = options.keepOpen;
    this.names = options.names ?? 'python';
  }

  /** A future of the running loop that gets connectionLost()'s error (made on first use). */
  get lost(): Future<Error | null> {
    if (this.#lost === null) {
      this.#lost = getRunningLoop().createFuture<Error | null>();
      if (this.lostExc !== undefined) this.#lost.setResult(this.lostExc);
    }
    return this.#lost;
  }

  override connectionMade(transport: BaseTransport): void {
    this.log.push(this.names === 'python' ? 'connection_made' : 'made');
    this.transport = transport as Transport;
    this.onConnectionMade?.(transport);
  }

  override dataReceived(data: Buffer): void {
    this.log.push(this.names === 'python' ? `data_received:${data.toString('latin1')}` : `data:${data.toString()}`);
    this.data.push(Buffer.from(data));
    this.onData?.(data);
  }

  override eofReceived(): boolean | undefined {
    this.log.push(this.names === 'python' ? 'eof_received' : 'eof');
    return this.onEof === null ? this.keepOpen : this.onEof();
  }

  override connectionLost(exc: Error | null): void {
    this.log.push(this.names === 'python' ? `connection_lost:${exc === null ? 'None' : exc.name}` : `lost:${exc === null ? 'null' : exc.name}`);
    this.lostExc = exc;
    this.#lost?.setResult(exc);
  }

  override pauseWriting(): void {
    this.log.push(this.names === 'python' ? 'pause_writing' : 'pause');
  }

  override resumeWriting(): void {
    this.log.push(this.names === 'python' ? 'resume_writing' : 'resume');
  }

  /** All the received bytes, joined. */
  received(): Buffer {
    return Buffer.concat(this.data);
  }
}
