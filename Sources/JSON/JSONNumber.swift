/// A JSON number stored as its literal text so that it round-trips byte for byte.
public struct JSONNumber: Sendable, Hashable {
    /// The literal as it appeared in the document (or as produced from a Swift number).
    public let literal: String

    /// Wraps a literal already known to follow the JSON number grammar.
    public init(uncheckedLiteral literal: String) { self.literal = literal }

    /// An integer.
    public init(_ value: Int) { literal = String(value) }

    /// A finite double; non-finite values become `0`, which JSON cannot express otherwise.
    public init(_ value: Double) {
        guard value.isFinite else { literal = "0"; return }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            literal = String(Int(value))
        } else {
            literal = "\(value)"
        }
    }

    /// The value as an `Int` when it is integral and in range (`1.0` and `1e3` included).
    public var int: Int? {
        if let exact = Int(literal) { return exact }
        guard let double = Double(literal), double == double.rounded(.towardZero),
              double >= -9.2e18, double <= 9.2e18 else { return nil }
        return Int(double)
    }

    /// The value as a `Double`.
    public var double: Double? { Double(literal) }
}
