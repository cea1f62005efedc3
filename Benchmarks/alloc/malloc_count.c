// Counts heap allocations for Benchmarks/allocations.sh: an LD_PRELOAD shim over malloc, calloc,
// realloc, posix_memalign, aligned_alloc and memalign that counts calls and bytes requested;
// SIGUSR1 writes the totals to stderr as "MALLOC calls=N bytes=M". Allocations made while
// dlsym is still looking the real functions up come from a static buffer and are never freed.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
static atomic_ulong calls, bytes;
static void *(*rm)(size_t); static void *(*rc)(size_t,size_t); static void *(*rr)(void*,size_t); static void (*rf)(void*);
static int (*rpm)(void**,size_t,size_t); static void *(*raa)(size_t,size_t); static void *(*rma)(size_t,size_t);
static char tmp[1<<20]; static size_t tpos; static int initializing;
static int intmp(void*p){ return (char*)p>=tmp && (char*)p<tmp+sizeof tmp; }
static void *tmpalloc(size_t n){ void*p=tmp+tpos; tpos+=(n+31)&~(size_t)31; return p; }
static void report(int s){ char b[128]; int n=snprintf(b,sizeof b,"MALLOC calls=%lu bytes=%lu\n",(unsigned long)atomic_load(&calls),(unsigned long)atomic_load(&bytes)); write(2,b,n); }
static void ensure(void){ if(rm||initializing) return; initializing=1;
  rm=dlsym(RTLD_NEXT,"malloc"); rc=dlsym(RTLD_NEXT,"calloc"); rr=dlsym(RTLD_NEXT,"realloc"); rf=dlsym(RTLD_NEXT,"free");
  rpm=dlsym(RTLD_NEXT,"posix_memalign"); raa=dlsym(RTLD_NEXT,"aligned_alloc"); rma=dlsym(RTLD_NEXT,"memalign"); initializing=0; signal(SIGUSR1,report); }
void *malloc(size_t n){ ensure(); if(!rm) return tmpalloc(n); atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,n); return rm(n); }
void *calloc(size_t a,size_t b){ ensure(); if(!rc){ void*p=tmpalloc(a*b); memset(p,0,a*b); return p;} atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,a*b); return rc(a,b); }
void *realloc(void*p,size_t n){ ensure(); if(intmp(p)){ void*q=malloc(n); memcpy(q,p,n); return q; } atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,n); return rr(p,n); }
void free(void*p){ if(!p||intmp(p)) return; ensure(); rf(p); }
int posix_memalign(void**p,size_t a,size_t n){ ensure(); atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,n); return rpm(p,a,n); }
void *aligned_alloc(size_t a,size_t n){ ensure(); atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,n); return raa(a,n); }
void *memalign(size_t a,size_t n){ ensure(); atomic_fetch_add(&calls,1); atomic_fetch_add(&bytes,n); return rma(a,n); }
