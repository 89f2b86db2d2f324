// Python: asyncio/protocols.py (3.11): the callbacks a transport makes, in asyncio's order.
// connectionMade once, then dataReceived* [eofReceived], then connectionLost once; pauseWriting
// and resumeWriting alternate, driven by the transport's write buffer.
import { NotImplementedError } from '../exceptions';
import type { Address } from './socket-address';
import type { BaseTransport } from './transports';

/**
 * The callbacks every protocol gets; subclass and override the ones you need (all are no-ops).
 * @see Python `asyncio.BaseProtocol`
 */
export class BaseProtocol {
  /** Called once when the connection is made, with its transport. @see Python `BaseProtocol.connection_made()` */
  connectionMade(_transport: BaseTransport): void {
    // No-op by default.
  }

  /**
   * Called once when the connection is lost or closed: `exc` is `null` for a regular close or EOF.
   * @see Python `BaseProtocol.connection_lost()`
   */
  connectionLost(_exc: Error | null): void {
    // No-op by default.
  }

  /** Called when the transport's write buffer goes over its high-water mark. @see Python `BaseProtocol.pause_writing()` */
  pauseWriting(): void {
    // No-op by default.
  }

  /** Called when the transport's write buffer drains to its low-water mark. @see Python `BaseProtocol.resume_writing()` */
  resumeWriting(): void {
    // No-op by default.
  }
}

/**
 * A streaming protocol: received bytes arrive in `dataReceived`, the peer's EOF in `eofReceived`.
 * @see Python `asyncio.Protocol`
 */
export class Protocol extends BaseProtocol {
  /** Called with each chunk of received bytes (chunk boundaries mean nothing). @see Python `Protocol.data_received()` */
  dataReceived(_data: Buffer): void {
    // No-op by default.
  }

  /**
   * Called when the peer sends EOF (half-close). Return true to keep our side open for writing;
   * anything else closes the transport.
   * @see Python `Protocol.eof_received()`
   */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/**
 * A datagram (UDP) protocol: each datagram arrives whole in `datagramReceived`, with its sender's
 * address; send and receive errors (e.g. ConnectionRefusedError) in `errorReceived`.
 * @see Python `asyncio.DatagramProtocol`
 */
export class DatagramProtocol extends BaseProtocol {
  /** Called with each datagram received (an empty one is an empty Buffer) and its sender. @see Python `DatagramProtocol.datagram_received()` */
  datagramReceived(_data: Buffer, _addr: Address): void {
    // No-op by default.
  }

  /** Called with an OSError of a send or receive; the transport stays open. @see Python `DatagramProtocol.error_received()` */
  errorReceived(_exc: Error): void {
    // No-op by default.
  }
}

/**
 * A protocol that receives into its own buffer: the transport asks `getBuffer(sizehint)` for a
 * buffer, receives into it, then calls `bufferUpdated(nbytes)`; EOF reaches `eofReceived`.
 * @see Python `asyncio.BufferedProtocol`
 */
export class BufferedProtocol extends BaseProtocol {
  /**
   * The buffer to receive into (non-empty); `sizehint` is the wanted size, -1 for any.
   * @see Python `BufferedProtocol.get_buffer()`
   */
  getBuffer(_sizehint: number): Uint8Array {
    throw new NotImplementedError('BufferedProtocol.getBuffer() must be overridden');
  }

  /** Called with how many bytes were written into the buffer `getBuffer` returned. @see Python `BufferedProtocol.buffer_updated()` */
  bufferUpdated(_nbytes: number): void {
    // No-op by default.
  }

  /**
   * Called when the peer sends EOF; return true to keep our side open for writing.
   * @see Python `BufferedProtocol.eof_received()`
   */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}
