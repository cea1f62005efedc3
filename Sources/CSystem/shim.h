#ifndef SWITCHYARD_CSYSTEM_H
#define SWITCHYARD_CSYSTEM_H
// Linux headers Glibc's Swift module does not expose.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <pthread.h>
#include <errno.h>
#include <malloc.h>

// accept4 hides behind _GNU_SOURCE.
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
// Also behind _GNU_SOURCE: names threads for top, perf and gdb.
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int csys_errno(void) { return errno; }
static inline uint32_t csys_epoll_event_events(const struct epoll_event *e) { return e->events; }
static inline uint64_t csys_epoll_event_u64(const struct epoll_event *e) { return e->data.u64; }
static inline int csys_epoll_add(int epfd, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev; ev.events = events; ev.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}
static inline int csys_epoll_mod(int epfd, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev; ev.events = events; ev.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}
static inline int csys_epoll_del(int epfd, int fd) {
    struct epoll_event ev = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}
#endif
