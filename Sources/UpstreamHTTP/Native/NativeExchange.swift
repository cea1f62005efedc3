/// One transfer on the native transport: the request bytes, where they go, how far the exchange
/// got. Confined to the driver's loop thread.
final class NativeExchange {
    /// Where the exchange stands.
    enum Phase {
        /// Waiting for a connection to be made.
        case connecting
        /// Writing the request.
        case sending
        /// Reading the response.
        case receiving
    }

    let transfer: Transfer
    let target: NativeTarget
    let requestBytes: [UInt8]
    let isHEAD: Bool
    let policy: AddressPolicy
    let maxResponseBytes: Int
    let connectTimeout: UInt64
    var deadlines: TransferDeadlines
    var phase = Phase.connecting
    /// When the connect in progress times out.
    var connectDeadline = UInt64.max
    var parser: ResponseParser
    var connection: NativeConnection?
    /// The connection came from the pool (a failure before any response byte may be retried).
    var reusedConnection = false
    /// The one retry on a fresh connection was used.
    var retried = false
    /// The next candidate address to try.
    var addressIndex = 0
    /// The last address the policy refused, for the error.
    var refusedAddress: String?
    /// Why the last connect failed, for the error when no address is left.
    var lastConnectError: String?
    /// Request bytes written so far.
    var written = 0
    /// The request did not go out in one write: the server may answer before it has all of it.
    var sendWaited = false
    /// The answer was waiting before the request was all written (an early 413 while the body
    /// still went out): what the server made of the rest is unknown, so the connection is not reused.
    var answeredEarly = false
    /// Body bytes decoded so far (for `maxResponseBytes`).
    var received = 0
    /// A chunk the consumer refused while its buffer was full, offered again on unpause.
    var heldChunk: [UInt8]?
    var paused = false

    init(transfer: Transfer, request: UpstreamRequest, target: NativeTarget, now: UInt64) {
        self.transfer = transfer
        self.target = target
        self.requestBytes = RequestWriter.serialize(request, to: target)
        self.isHEAD = RequestWriter.isHEAD(request.method)
        self.policy = request.addressPolicy
        self.maxResponseBytes = request.maxResponseBytes
        self.connectTimeout = request.timeouts.connect.clampedNanoseconds
        self.deadlines = TransferDeadlines(timeouts: request.timeouts, startedAt: now)
        self.parser = ResponseParser(isHEADRequest: isHEAD)
    }

    /// Starts over on a new connection: nothing of a previous attempt's response is kept.
    func resetAttempt() {
        written = 0
        sendWaited = false
        answeredEarly = false
        received = 0
        parser = ResponseParser(isHEADRequest: isHEAD)
    }
}
