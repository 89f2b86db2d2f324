// Python: socket.py (3.11): the `socket` module's names tsyncio has, as one namespace, so
// `socket.AF_INET`, `socket.SOCK_DGRAM` and `socket.gaierror` port unchanged.
export {
  Socket as socket, AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOL_SOCKET, SO_ERROR, SO_BROADCAST,
  SHUT_RD, SHUT_WR, SHUT_RDWR,
} from './sockets';
export { gaierror } from './oserrors';
export {
  AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG, AI_NUMERICSERV,
  NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD, NI_DGRAM,
  EAI_BADFLAGS, EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_FAMILY, EAI_SERVICE, EAI_ADDRFAMILY,
} from './getaddrinfo';
