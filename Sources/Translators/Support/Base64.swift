/// Base64 checks and conversions used for inline media and provider state.
enum Base64 {
    /// `string` as canonical standard base64 (RFC 4648 §4, padded), or nil when it is not
    /// base64. Either alphabet is accepted, padded or not, as Google's JSON mapping of `bytes`
    /// accepts them (the google-genai SDK sends base64url): every provider gets standard base64.
    static func standard(_ string: String) -> String? {
        var count = 0, padding = 0, urlSafe = false
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding > 0 { return nil }
            case UInt8(ascii: "-"), UInt8(ascii: "_"):
                if padding > 0 { return nil }
                urlSafe = true
            case UInt8(ascii: "="):
                padding += 1
                if padding > 2 { return nil }
            default:
                return nil
            }
            count += 1
        }
        let digits = count - padding
        // A final group of one digit encodes no whole byte; padding, when present, completes the group.
        guard digits % 4 != 1, padding == 0 || count % 4 == 0 else { return nil }
        if !urlSafe && count % 4 == 0 { return string }
        return fromURLSafe(string)
    }

    /// Standard base64 → base64url without padding (safe inside ids).
    static func toURLSafe(_ string: String) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for character in string.unicodeScalars {
            switch character {
            case "+": out.append("-")
            case "/": out.append("_")
            case "=": continue
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// base64url (or standard base64), padded or not → standard base64 with padding.
    static func fromURLSafe(_ string: String) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count + 3)
        for character in string.unicodeScalars {
            switch character {
            case "-": out.append("+")
            case "_": out.append("/")
            default: out.unicodeScalars.append(character)
            }
        }
        while out.utf8.count % 4 != 0 { out.append("=") }
        return out
    }

    /// Standard base64 (as `standard` gives it) decoded as UTF-8 text; nil when the bytes are not UTF-8.
    static func decodeUTF8(_ string: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count / 4 * 3)
        var group: UInt32 = 0, digits = 0
        for byte in string.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            group = group << 6 | value
            digits += 1
            if digits == 4 {
                bytes += [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
                group = 0
                digits = 0
            }
        }
        if digits == 3 { bytes += [UInt8(group >> 10 & 0xFF), UInt8(group >> 2 & 0xFF)] }
        if digits == 2 { bytes.append(UInt8(group >> 4 & 0xFF)) }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Splits `data:<media type>;base64,<data>` URLs.
enum DataURL {
    static func parse(_ url: String) -> (mediaType: String, data: String)? {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64") else { return nil }
        return (String(header.dropLast(7)), String(url[url.index(after: comma)...]))
    }

    static func make(mediaType: String, data: String) -> String { "data:\(mediaType);base64,\(data)" }
}

/// Guesses a media type from a URL's extension (used where a target needs one).
enum MediaTypes {
    static func guess(fromURL url: String) -> String {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let lower = path.lowercased()
        if lower.hasSuffix(".png") { return "image/png" }
        if lower.hasSuffix(".gif") { return "image/gif" }
        if lower.hasSuffix(".webp") { return "image/webp" }
        if lower.hasSuffix(".pdf") { return "application/pdf" }
        return "image/jpeg"
    }
}
