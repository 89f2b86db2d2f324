// tsyncio: Python's asyncio for TypeScript on Node.js. An explicit list of the public names,
// grouped like asyncio/__init__.py; nothing internal leaks through `export *`.

// Errors (asyncio/exceptions.py and the OS errors).
export {
  CancelledError, TimeoutError, InvalidStateError, IncompleteReadError, LimitOverrunError,
  QueueEmpty, QueueFull, QueueShutDown, BrokenBarrierError, ExceptionGroup,
  RuntimeError, NotImplementedError, DeadlockError, FatalError,
  KeyboardInterrupt,
  OSError, BlockingIOError, ConnectionError, ConnectionResetError, ConnectionRefusedError,
  ConnectionAbortedError, BrokenPipeError, FileNotFoundError,
  PermissionError, ProcessLookupError,
  isCancelledError, toError,
} from './exceptions';

// Coroutines and futures (coroutines.py, futures.py).
export { Future, isFuture, iscoroutine, wrapPromise } from './futures';
export type { Coroutine, Awaitable } from './futures';

// Events and loops (events.py, base_events.py).
export { Handle, TimerHandle, getRunningLoop, getEventLoop, setEventLoop, newEventLoop } from './events';
export type { AbstractEventLoop, ExceptionContext, ExceptionHandler, TaskOptions, TaskFactory, CallbackOptions } from './events';
export { BaseEventLoop } from './base-events';
export type { EventLoopOptions } from './base-events';
export type { Instrument, LoopCallback, WakeCause } from './instruments';
export { formatLogRecord, logger } from './log';
export { captureTaskTree, formatTaskTree, printTaskTree } from './graph';
export { captureCallGraph, formatCallGraph, printCallGraph, futureAddToAwaitedBy, futureDiscardFromAwaitedBy } from './graph';
export type { FutureCallGraph } from './graph';
export type { FrameCallGraphEntry, TaskTreeNode } from './graph';
export type { LogExtra, LogHandler, LogLevel, LogRecord, Logger } from './log';
export { SelectorEventLoop, EventLoop } from './io/selector-events';
export type { SelectorEventLoopOptions } from './io/selector-events';
export { VirtualClock, MonotonicClock } from './clock';
export type { Clock, VirtualClockOptions } from './clock';

// Tasks (tasks.py).
export { Task, createTask, currentTask, allTasks, ensureFuture, eagerTaskFactory } from './tasks';
export type { TaskConstructorOptions } from './tasks';
export { sleep } from './sleep';
export { gather, GatheringFuture } from './gather';
export type { GatherOptions, GatherResults, GatherResultsOrErrors, AwaitedOf } from './gather';

// Combinators (timeouts.py; tasks.py wait, wait_for, as_completed, shield).
export { Timeout, TimeoutState, timeout, timeoutAt } from './timeouts';
export { wait, waitFor, asCompleted, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './wait';
export type { WaitOptions, AsCompletedOptions, AsCompletedIterator, ReturnWhen } from './wait';
export { shield } from './shield';

// The `async with` protocol and its tools (contextlib).
export { asyncWith, asynccontextmanager, aclosing, AsyncExitStack } from './contextlib';
export type { AsyncContextManager, AsyncExitCallback } from './contextlib';

// Async iteration: async generators, `async for`, aiter/anext (PEP 525, PEP 492).
export { StopAsyncIteration, AsyncGen, asyncGenerator, aiter, anext, asyncFor, alist, BREAK } from './asyncgens';
export type { AIterable, AIterator, AsyncIterableLike, Emit, AsyncForOptions, AsyncForBody } from './asyncgens';

// Structured concurrency (taskgroups.py).
export { TaskGroup } from './taskgroups';

// Synchronisation and queues (locks.py, queues.py).
export { Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier } from './locks';
export { Queue, PriorityQueue, LifoQueue } from './queues';
export type { PriorityQueueOptions } from './queues';

// Context variables (contextvars).
export { Context, ContextVar, Token, copyContext } from './contextvars';

// I/O: selectors, sockets (selectors.py, socket.py).
export { EVENT_READ, EVENT_WRITE, SelectorKey, Selector, DefaultSelector } from './io/selectors';
export {
  Socket, AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM, SHUT_RD, SHUT_WR, SHUT_RDWR, SOL_SOCKET, SO_ERROR,
  SEND_BUFFER_SIZE,
} from './io/sockets';
export { osError, errnoError } from './io/oserrors';
export type { Address, InetAddress, Selectable } from './io/sockets';

// Transports and protocols (transports.py, protocols.py, selector_events.py, base_events.Server).
export { BaseProtocol, Protocol } from './io/protocols';
export { BaseTransport, FlowControlTransport, WRITE_HIGH_WATER } from './io/transports';
export type { ReadTransport, WriteTransport, Transport } from './io/transports';
export { SelectorSocketTransport } from './io/selector-transport';
export { Server } from './io/server';
export type { CreateConnectionOptions, CreateServerOptions, CreateUnixServerOptions } from './io/connections';

// TLS (ssl.py, sslproto.py): SSLContext over Node's tls, the TLS layer over the plain transport.
export {
  SSLContext, SSLError, SSLCertVerificationError, CertificateError, createDefaultContext, Purpose, TLSVersion,
  PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, ssl,
} from './io/ssl';
export type { CreateDefaultContextOptions, PeerCert, SSLObject, SSLPurpose, TLSVersionName } from './io/ssl';
export type { SSLProtocolTransport } from './io/sslproto';
export type { SSLClientOptions, SSLServerOptions, StartTlsOptions } from './io/ssl-options';
export type { CreateUnixConnectionOptions, ConnectAcceptedSocketOptions } from './io/connections';
// Datagrams and name resolution (selector_events._SelectorDatagramTransport, base_events, socket.py).
export { DatagramProtocol, BufferedProtocol } from './io/protocols';
export { SelectorDatagramTransport } from './io/datagram';
export { SendfileNotAvailableError } from './io/sendfile';
export type { SendfileFile, SendfileOptions } from './io/sendfile';
export type { DatagramTransport, CreateDatagramEndpointOptions } from './io/datagram';
export { SOCK_DGRAM, SOCK_RAW, SO_BROADCAST } from './io/sockets';
export { gaierror } from './io/oserrors';
export {
  AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG, AI_NUMERICSERV,
  NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD, NI_DGRAM,
  EAI_BADFLAGS, EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_FAMILY, EAI_SERVICE, EAI_ADDRFAMILY,
} from './io/getaddrinfo';
export type { AddrInfo, GetaddrinfoOptions } from './io/getaddrinfo';
export * as socket from './io/socket-namespace';

// Streams (streams.py).
export { StreamReader } from './io/stream-reader';
export type { StreamReaderOptions } from './io/stream-reader';
export {
  StreamWriter, StreamReaderProtocol, FlowControlMixin,
  openConnection, startServer, openUnixConnection, startUnixServer,
} from './io/streams';
export type {
  ClientConnectedCallback, OpenConnectionOptions, StartServerOptions, StreamStartTlsOptions,
  OpenUnixConnectionOptions, StartUnixServerOptions,
} from './io/streams';

// Subprocesses (subprocess.py, base_subprocess.py, unix_events.py).
export { createSubprocessExec, createSubprocessShell, Process, subprocess, PIPE, STDOUT, DEVNULL } from './io/subprocess';
export type { SubprocessOptions } from './io/subprocess';
export { SubprocessProtocol, SubprocessTransport } from './io/base-subprocess';
export type { Stdio } from './io/base-subprocess';
export type { SubprocessTransportOptions } from './io/unix-events';

// Runners (runners.py).
export { run, runSync, Runner } from './runners';
export type { RunOptions } from './runners';

// Executors and threads (concurrent/futures, threads.py, futures.wrap_future, tasks.run_coroutine_threadsafe).
export {
  ConcurrentFuture, Executor, BrokenExecutor, BrokenThreadPool, BrokenProcessPool, wrapFuture, runCoroutineThreadsafe,
} from './concurrent/futures';
export { ThreadPoolExecutor } from './concurrent/thread';
export { ProcessPoolExecutor } from './concurrent/process';
export type { PoolOptions } from './concurrent/pool';
export type { WorkerFn, WorkerRef } from './concurrent/crossing';
export { toThread } from './threads';
