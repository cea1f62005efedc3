import Glibc

/// The master key file: exactly 32 raw bytes, mode 0600, created atomically if absent.
enum KeyFile {
    static func loadOrCreate(path: String) throws(StoreError) -> MasterKey {
        if let key = try read(path: path) { return key }
        let key = MasterKey.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            // Another process may have created it meanwhile.
            if errno == EEXIST, let key = try read(path: path) { return key }
            throw .masterKey("cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = key.bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == 32, fsync(fd) == 0 else {
            unlink(path)
            throw .masterKey("cannot write key file \(path): \(String(cString: strerror(errno)))")
        }
        return key
    }

    /// The key in `path`, or nil if the file does not exist; refuses wrong sizes and loose modes.
    static func read(path: String) throws(StoreError) -> MasterKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .masterKey("cannot open key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .masterKey("cannot stat key file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_size == 32 else {
            throw .masterKey("key file \(path) is \(info.st_size) bytes; expected exactly 32 raw bytes")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .masterKey("key file \(path) is accessible by group or others; run `chmod 600 \(path)`")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 32) }
        guard count == 32 else { throw .masterKey("cannot read key file \(path)") }
        return try MasterKey(bytes: bytes)
    }
}
