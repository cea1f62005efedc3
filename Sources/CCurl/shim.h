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
#endif
