#ifndef SWITCHYARD_CSQLITE_H
#define SWITCHYARD_CSQLITE_H
#include <sqlite3.h>
// SQLITE_TRANSIENT is a cast macro Swift cannot import.
static inline sqlite3_destructor_type csq_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type csq_static(void) { return SQLITE_STATIC; }
#endif
