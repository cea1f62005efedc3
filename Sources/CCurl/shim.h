#ifndef SWITCHYARD_CCURL_H
#define SWITCHYARD_CCURL_H
#include <curl/curl.h>
#include <sys/socket.h>
#include <netinet/in.h>

// Typed wrappers: Swift cannot call the variadic curl_*_setopt / getinfo.
typedef size_t (*csy_data_cb)(char *, size_t, size_t, void *);
typedef curl_socket_t (*csy_opensocket_cb)(void *, curlsocktype, struct curl_sockaddr *);

static inline CURLcode csy_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_data_cb(CURL *h, CURLoption o, csy_data_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode csy_easy_setopt_opensocket_cb(CURL *h, csy_opensocket_cb v) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, v); }
static inline CURLcode csy_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode csy_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode csy_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

static inline size_t csy_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline curl_socket_t csy_socket_bad(void) { return CURL_SOCKET_BAD; }
static inline int csy_curlpause_cont(void) { return CURLPAUSE_CONT; }
// Added for UpstreamHTTP.
#include <arpa/inet.h>
#include <string.h>
typedef int (*csy_prereq_cb)(void *, char *, char *, int, int);
static inline CURLcode csy_easy_setopt_prereq_cb(CURL *h, csy_prereq_cb v) { return curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, v); }
static inline int csy_prereq_ok(void) { return CURL_PREREQFUNC_OK; }
static inline int csy_prereq_abort(void) { return CURL_PREREQFUNC_ABORT; }
static inline CURLcode csy_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static inline CURLcode csy_msg_result(const CURLMsg *m) { return m->data.result; }
static inline int csy_error_size(void) { return CURL_ERROR_SIZE; }

// The address curl is about to connect to: copies 4 (IPv4) or 16 (IPv6) bytes into out, returns
// the count, or 0 for another family. Reads through the pointer because the storage behind
// `addr` is larger than struct sockaddr for IPv6.
static inline int csy_sockaddr_ip(const struct curl_sockaddr *a, unsigned char out[16]) {
    if (a->family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
        memcpy(out, &in->sin_addr, 4); return 4;
    }
    if (a->family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
        memcpy(out, &in6->sin6_addr, 16); return 16;
    }
    return 0;
}
// Opens the socket curl asked for, close-on-exec.
static inline curl_socket_t csy_open_socket(const struct curl_sockaddr *a) {
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}
// Parses a numeric IPv4 or IPv6 address into out; returns 4, 16 or 0.
static inline int csy_parse_ip(const char *s, unsigned char out[16]) {
    if (inet_pton(AF_INET, s, out) == 1) return 4;
    if (inet_pton(AF_INET6, s, out) == 1) return 16;
    return 0;
}
// Like csy_parse_ip, ignoring an IPv6 zone suffix ("fe80::1%eth0").
static inline int csy_parse_ip_unzoned(const char *s, unsigned char out[16]) {
    char copy[64];
    size_t n = 0;
    while (s[n] != '\0' && s[n] != '%' && n < sizeof copy - 1) { copy[n] = s[n]; n++; }
    if (s[n] != '\0' && s[n] != '%') return 0;
    copy[n] = '\0';
    return csy_parse_ip(copy, out);
}
// Formats 4 or 16 address bytes; out must hold INET6_ADDRSTRLEN bytes.
static inline int csy_format_ip(const unsigned char *in, int count, char *out, socklen_t size) {
    return inet_ntop(count == 4 ? AF_INET : AF_INET6, in, out, size) != NULL;
}
// The multi socket interface: curl's sockets and timer are driven by an event loop.
typedef int (*csy_socket_cb)(CURL *, curl_socket_t, int, void *, void *);
typedef int (*csy_timer_cb)(CURLM *, long, void *);
static inline CURLMcode csy_multi_setopt_socket_cb(CURLM *m, csy_socket_cb v) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, v); }
static inline CURLMcode csy_multi_setopt_timer_cb(CURLM *m, csy_timer_cb v) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, v); }
static inline CURLMcode csy_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline curl_socket_t csy_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }
#endif
