/// What the caller side of a transfer asks of its driver; applied on the driver's loop thread.
enum DriverCommand: Sendable {
    /// Set up an easy handle for the request and add it to the multi handle.
    case start(Transfer, UpstreamRequest)
    /// Remove the transfer now (the connection is closed).
    case abort(Transfer)
    /// The reader drained the buffer: resume receiving.
    case unpause(Transfer)
}
