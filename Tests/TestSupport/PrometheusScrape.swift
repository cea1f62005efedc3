/// A strict reader of the Prometheus text format (0.0.4), enough to parse back what Switchyard
/// exposes: HELP/TYPE lines, samples with escaped label values, families by name.
public enum PrometheusScrape {
    /// One sample line.
    public struct Sample: Sendable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    /// One metric family: its TYPE and samples.
    public struct Family: Sendable {
        public var type = ""
        public var help: String?
        public var samples: [Sample] = []
    }

    /// A line that does not follow the format.
    public enum Failure: Error { case malformed(String) }

    /// The families of `text` by name; throws on any malformed line or a sample outside its family.
    public static func parse(_ text: String) throws -> [String: Family] {
        var families: [String: Family] = [:]
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3 else { throw Failure.malformed(String(line)) }
                families[String(parts[2]), default: Family()].help = parts.count == 4 ? String(parts[3]) : ""
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw Failure.malformed(String(line))
                }
                current = String(parts[2])
                guard families[current]?.type.isEmpty ?? true else { throw Failure.malformed("second TYPE for \(current)") }
                families[current, default: Family()].type = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let sample = try sampleLine(String(line))
            guard !current.isEmpty, sample.name.hasPrefix(current) else { throw Failure.malformed("sample \(sample.name) outside its family") }
            families[current]?.samples.append(sample)
        }
        return families
    }

    private static func sampleLine(_ line: String) throws -> Sample {
        var chars = Array(line)[...]
        var name = ""
        while let c = chars.first, c.isLetter || c.isNumber || c == "_" || c == ":" { name.append(c); chars = chars.dropFirst() }
        guard !name.isEmpty else { throw Failure.malformed(line) }
        var labels: [String: String] = [:]
        if chars.first == "{" {
            chars = chars.dropFirst()
            while chars.first != "}" {
                var key = ""
                while let c = chars.first, c != "=" { key.append(c); chars = chars.dropFirst() }
                guard !key.isEmpty, chars.dropFirst().first == "\"" else { throw Failure.malformed(line) }
                chars = chars.dropFirst(2)
                var value = ""
                while let c = chars.first, c != "\"" {
                    if c == "\\" {
                        chars = chars.dropFirst()
                        switch chars.first {
                        case "n": value.append("\n")
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        default: throw Failure.malformed(line)
                        }
                    } else {
                        value.append(c)
                    }
                    chars = chars.dropFirst()
                }
                guard chars.first == "\"" else { throw Failure.malformed(line) }
                chars = chars.dropFirst()
                guard labels.updateValue(value, forKey: key) == nil else { throw Failure.malformed("duplicate label in \(line)") }
                if chars.first == "," { chars = chars.dropFirst() }
                guard !chars.isEmpty else { throw Failure.malformed(line) }
            }
            chars = chars.dropFirst()
        }
        let rest = String(chars)
        guard rest.first == " ", let value = Double(rest.dropFirst()) ?? (rest == " +Inf" ? .infinity : nil) else {
            throw Failure.malformed(line)
        }
        return Sample(name: name, labels: labels, value: value)
    }
}
