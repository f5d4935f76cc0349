#ifndef C_EPOLL_SHIM_H
#define C_EPOLL_SHIM_H

// Glibc's Swift module leaves out <sys/epoll.h>; the reactor in Sockets needs it.
#ifdef __linux__
#include <sys/epoll.h>
#endif

#endif
