import Dispatch

/// Owns one `SQLiteConnection` on a private serial dispatch queue (never Swift's cooperative
/// pool); async callers suspend on a continuation that the queue resumes.
final class DatabaseQueue: @unchecked Sendable {
    // The connection is touched only from `queue`; that confinement is what makes this Sendable.
    private let connection: SQLiteConnection
    private let queue: DispatchQueue

    init(path: String, label: String) throws(StoreError) {
        connection = try SQLiteConnection(path: path)
        queue = DispatchQueue(label: "switchyard.store.\(label)")
    }

    /// Runs `body` with the connection on the queue and returns its result.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body(self.connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Closes the connection after the work already queued.
    func close() {
        queue.sync { connection.close() }
    }
}
