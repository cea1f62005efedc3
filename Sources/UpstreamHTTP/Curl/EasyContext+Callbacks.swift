import Reactor

/// What each curl callback does; all run on the driver's loop thread inside `curl_multi_socket_action`.
extension EasyContext {
    /// CURLOPT_OPENSOCKETFUNCTION: the resolved address is checked against the policy before
    /// any packet is sent; a refused address gets CURL_SOCKET_BAD (curl tries the next one).
    func onOpenSocket(purpose: curlsocktype, address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = Int(csy_sockaddr_ip(address, &bytes))
        guard purpose == CURLSOCKTYPE_IPCXN, let ip = IPAddress(bytes: Array(bytes.prefix(count))) else {
            refusedAddress = "non-IP socket"
            return csy_socket_bad()
        }
        guard policy.allows(ip) else {
            refusedAddress = ip.description
            return csy_socket_bad()
        }
        return csy_open_socket(address)
    }

    /// CURLOPT_PREREQFUNCTION: a connection (new or reused) is ready and the request goes out now.
    /// The address is checked again, because a reused connection skips the open-socket hook.
    func onRequestReady(primaryIP: UnsafeMutablePointer<CChar>?) -> Int32 {
        guard let primaryIP, let ip = IPAddress(primaryIP: primaryIP), policy.allows(ip) else {
            let text = primaryIP.map { String(cString: $0) } ?? ""
            refusedAddress = text
            failure = .addressRefused(text)
            return csy_prereq_abort()
        }
        deadlines.requestSent(at: Monotonic.now())
        return csy_prereq_ok()
    }

    /// CURLOPT_HEADERFUNCTION: one header line; the final head is handed to the caller.
    func onHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        deadlines.received(at: Monotonic.now())
        guard let head = parser.feed(line.assumingMemoryBound(to: UInt8.self)) else { return line.count }
        if let length = head.fields.first("Content-Length"), let declared = Int(length), declared > maxResponseBytes {
            failure = .responseTooLarge(limit: maxResponseBytes)
            return 0
        }
        transfer.headArrived(head)
        return line.count
    }

    /// CURLOPT_WRITEFUNCTION: a body chunk; queued, paused when the reader is behind, or aborted.
    func onBody(_ data: UnsafeRawBufferPointer) -> Int {
        guard received + data.count <= maxResponseBytes else {
            failure = .responseTooLarge(limit: maxResponseBytes)
            return 0
        }
        switch transfer.chunkArrived(Array(data)) {
        case .accept:
            received += data.count
            deadlines.received(at: Monotonic.now())
            return data.count
        case .pause:
            deadlines.paused()
            return csy_writefunc_pause()
        case .abort:
            return 0
        }
    }

    /// The typed error for curl's result code, or nil for a complete transfer.
    func error(for code: CURLcode) -> UpstreamError? {
        if let failure { return failure }
        let message = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OK:
            return nil
        case CURLE_COULDNT_CONNECT:
            if let refusedAddress { return .addressRefused(refusedAddress) }
            return .connectFailed(message)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dnsFailed(message)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(.connect)  // the only timeout curl itself enforces here
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidRequest(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE:
            return .tls(message)
        default:
            return .transport(code: Int(code.rawValue), message: message)
        }
    }
}
