import Reactor

/// One transfer's use of an easy handle and everything curl points into for it; lives on the
/// driver's loop thread only.
///
/// curl's callbacks receive an unretained pointer to this object; the driver keeps it alive
/// until the handle is removed from the multi handle, then recycles the handle.
final class EasyContext {
    let transfer: Transfer
    let handle: UnsafeMutableRawPointer
    var deadlines: TransferDeadlines
    let policy: AddressPolicy
    let maxResponseBytes: Int

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let requestBody: UnsafeMutableRawBufferPointer
    let errorBuffer: UnsafeMutablePointer<CChar>
    var parser = ResponseHeadParser()
    /// Body bytes accepted so far.
    var received = 0
    /// A failure decided by a callback; it wins over curl's own code.
    var failure: UpstreamError?
    /// The last address the policy refused, for the error message.
    var refusedAddress: String?
    private var released = false

    /// Configures `handle` (fresh or reset) for `request`.
    init(handle: UnsafeMutableRawPointer, transfer: Transfer, request: UpstreamRequest,
         configuration: UpstreamClient.Configuration) throws(UpstreamError) {
        self.transfer = transfer
        self.handle = handle
        self.deadlines = TransferDeadlines(timeouts: request.timeouts, startedAt: Monotonic.now())
        self.policy = request.addressPolicy
        self.maxResponseBytes = request.maxResponseBytes
        requestBody = .allocate(byteCount: max(1, request.body.count), alignment: 1)
        if !request.body.isEmpty { requestBody.copyBytes(from: request.body) }
        errorBuffer = .allocate(capacity: Int(csy_error_size()))
        errorBuffer.initialize(repeating: 0, count: Int(csy_error_size()))
        do {
            try configure(request, configuration)
        } catch {
            release()
            throw error
        }
    }

    /// Frees the memory curl pointed into (after removal from the multi handle); the handle
    /// itself belongs to the driver.
    func release() {
        guard !released else { return }
        released = true
        curl_slist_free_all(headerList)
        requestBody.deallocate()
        errorBuffer.deallocate()
    }

    private func configure(_ request: UpstreamRequest, _ configuration: UpstreamClient.Configuration) throws(UpstreamError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var code = CURLE_OK
        func long(_ option: CURLoption, _ value: Int) { if code == CURLE_OK { code = csy_easy_setopt_long(handle, option, value) } }
        func string(_ option: CURLoption, _ value: String) { if code == CURLE_OK { code = csy_easy_setopt_string(handle, option, value) } }
        func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) { if code == CURLE_OK { code = csy_easy_setopt_pointer(handle, option, value) } }

        // Strings are copied by curl (except POSTFIELDS, which points into requestBody).
        string(CURLOPT_URL, request.url)
        string(CURLOPT_PROTOCOLS_STR, "http,https")
        string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        long(CURLOPT_FOLLOWLOCATION, 0)
        long(CURLOPT_NOSIGNAL, 1)
        string(CURLOPT_NOPROXY, "*")  // an environment proxy would bypass the address policy
        long(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        long(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.timeouts.connect.roundedUpMilliseconds))
        long(CURLOPT_TCP_KEEPALIVE, 1)
        long(CURLOPT_TCP_KEEPIDLE, 30)
        long(CURLOPT_TCP_KEEPINTVL, 15)
        pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if let path = configuration.caBundlePath { string(CURLOPT_CAINFO, path) }

        let method = request.method.uppercased()
        if method == "GET" && request.body.isEmpty {
            long(CURLOPT_HTTPGET, 1)
        } else if method == "HEAD" {
            long(CURLOPT_NOBODY, 1)
        } else {
            if code == CURLE_OK { code = csy_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)) }
            pointer(CURLOPT_POSTFIELDS, requestBody.baseAddress)
            if method != "POST" { string(CURLOPT_CUSTOMREQUEST, request.method) }
        }

        headerList = Self.headerList(for: request)
        if code == CURLE_OK { code = csy_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }

        if code == CURLE_OK {
            code = csy_easy_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                Unmanaged<EasyContext>.fromOpaque(context!).takeUnretainedValue()
                    .onBody(UnsafeRawBufferPointer(start: data, count: size * count))
            }
        }
        pointer(CURLOPT_WRITEDATA, me)
        if code == CURLE_OK {
            code = csy_easy_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                Unmanaged<EasyContext>.fromOpaque(context!).takeUnretainedValue()
                    .onHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            }
        }
        pointer(CURLOPT_HEADERDATA, me)
        if code == CURLE_OK {
            code = csy_easy_setopt_opensocket_cb(handle) { context, purpose, address in
                Unmanaged<EasyContext>.fromOpaque(context!).takeUnretainedValue()
                    .onOpenSocket(purpose: purpose, address: address!)
            }
        }
        pointer(CURLOPT_OPENSOCKETDATA, me)
        if code == CURLE_OK {
            code = csy_easy_setopt_prereq_cb(handle) { context, primaryIP, _, _, _ in
                Unmanaged<EasyContext>.fromOpaque(context!).takeUnretainedValue()
                    .onRequestReady(primaryIP: primaryIP)
            }
        }
        pointer(CURLOPT_PREREQDATA, me)

        guard code == CURLE_OK else {
            throw .invalidRequest("curl rejected an option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Framing and hop-by-hop headers: curl writes the framing itself, and a caller's value
    /// disagreeing with the body would desynchronise the reused connection.
    static let managedHeaders = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade",
                                 "TE", "Trailer", "Proxy-Connection", "Expect"]

    /// The caller's headers minus the managed ones, plus blanks that stop curl adding
    /// `Expect: 100-continue` and a form Content-Type the caller did not ask for.
    private static func headerList(for request: UpstreamRequest) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        func has(_ name: String) -> Bool { request.headers.contains { $0.name.asciiCaseInsensitiveEquals(name) } }
        for (name, value) in request.headers
        where !managedHeaders.contains(where: { $0.asciiCaseInsensitiveEquals(name) }) {
            // "Name:" would make curl drop the header; "Name;" sends it with an empty value.
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        list = curl_slist_append(list, "Expect:")
        if !has("Content-Type") { list = curl_slist_append(list, "Content-Type:") }
        return list
    }
}
