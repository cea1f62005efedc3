// Re-exported once for the whole module: curl.h includes <sys/socket.h>, so the shim owns the
// socket constants, and release (whole-module) builds need it visible in every file.
@_exported import CCurl
