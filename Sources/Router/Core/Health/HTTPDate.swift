/// Parses the HTTP-date forms of `Retry-After` (RFC 9110 §5.6.7): IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`). No locale, no formatter: a pure function.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The moment `text` names, or nil when it is not an HTTP-date.
    public static func parse(_ text: String) -> Moment? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }).map(String.init)
        guard (4...7).contains(tokens.count) else { return nil }
        var month: Int?
        var numbers: [String] = []
        var time: [Int]?
        for token in tokens {
            let lower = token.lowercased()
            if let index = months.firstIndex(of: lower) {
                month = index + 1
            } else if token.contains(":") {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
                time = parts.compactMap { Int($0) }
            } else if token.allSatisfy(\.isASCIIDigit) {
                numbers.append(token)
            } else if lower != "gmt" && lower != "utc" && !lower.allSatisfy(\.isLetter) {
                return nil
            }
        }
        guard let month, let time, numbers.count == 2, numbers[0].count <= 2,
              var year = Int(numbers[1]), let day = Int(numbers[0]) else { return nil }
        if numbers[1].count == 2 { year += year >= 70 ? 1900 : 2000 } else if numbers[1].count != 4 { return nil }
        guard (1...31).contains(day), time[0] < 24, time[1] < 60, time[2] < 61 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return .seconds(days * 86_400 + Int64(time[0] * 3600 + time[1] * 60 + time[2]))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
