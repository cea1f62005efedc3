import Foundation
import TestSupport
import Testing

/// The checks run after every fault case (issue 7): the gateway still answers, the next request
/// succeeds, and descriptors and memory are back near where they started.
extension Stack {
    /// Open descriptors of the switchyard process.
    var descriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(switchyard.pid)/fd").count) ?? -1
    }

    /// Resident memory of the switchyard process, in KiB.
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(switchyard.pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? Int.max
    }

    /// Clears faults and cooldowns, then expects `/healthz` and a normal request to succeed and the
    /// descriptors to return to `baseline` (`pooled` allows idle upstream connections kept for reuse).
    func expectHealthy(baseline: Int, pooled: Int = 4) async throws {
        try mockControl("DELETE", "/_mock/faults")
        for credential in ["openai-1", "openai-2"] { try admin("POST", "/v1/credentials/\(credential)/reset") }
        #expect(rawGet(port: gatewayPort, path: "/healthz")?.status == 200)
        #expect(try gateway("/v1/chat/completions", ChatBody.plain).status == 200)
        var open = descriptors
        for _ in 0..<150 where open > baseline + pooled {
            try await Task.sleep(for: .milliseconds(20))
            open = descriptors
        }
        #expect(open <= baseline + pooled, "descriptors \(open) vs baseline \(baseline)")
        // The allocator keeps some memory; a leak of a case's bodies would not fit under this.
        #expect(residentKiB < 96 * 1024, "resident \(residentKiB) KiB after the case")
    }
}
