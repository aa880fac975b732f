import SigitCore

/// A small Markdown-to-HTML renderer for untrusted agreement documents, safe by construction: every character of
/// the source reaches the output only through `HTMLText.escape`; the only tags are the renderer's own (headings,
/// paragraphs, lists, emphasis, code, blockquote, rule, pipe tables). Raw HTML shows as text, and links and images show as their
/// text and address, never as `href` or `src`, so a document cannot run script, load anything or link anywhere.
///
/// Nesting (blockquotes, lists, emphasis) is cut at `maxDepth` levels, and a delimiter without a closer is not
/// searched for again, so hostile input costs linear time and bounded stack.
public enum MarkdownHTML {
    /// How deep blockquotes, lists and emphasis nest before the rest is shown as plain text.
    public static let maxDepth = 16

    /// The HTML of the Markdown `source`.
    public static func render(_ source: String) -> String {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return blocks(lines, depth: 0)
    }

    // MARK: Blocks

    static func blocks(_ lines: [String], depth: Int) -> String {
        var out = ""
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if isBlank(line) { index += 1; continue }
            if let fence = fence(line) {
                var code: [String] = []
                index += 1
                while index < lines.count, !closesFence(lines[index], fence) {
                    code.append(lines[index])
                    index += 1
                }
                index += 1
                out += "<pre><code>" + code.map(HTMLText.escape).joined(separator: "\n") + "</code></pre>\n"
                continue
            }
            if let (level, text) = heading(line) {
                out += "<h\(level)>" + inline(text, depth: depth) + "</h\(level)>\n"
                index += 1
                continue
            }
            if isRule(line) {
                out += "<hr>\n"
                index += 1
                continue
            }
            if quoteContent(line) != nil {
                var inner: [String] = []
                while index < lines.count, let content = quoteContent(lines[index]) {
                    inner.append(content)
                    index += 1
                }
                out += depth < maxDepth
                    ? "<blockquote>\n" + blocks(inner, depth: depth + 1) + "</blockquote>\n"
                    : "<p>" + HTMLText.escape(inner.joined(separator: " ")) + "</p>\n"
                continue
            }
            if let first = listMarker(line) {
                out += list(lines, from: &index, kind: first, depth: depth)
                continue
            }
            if index + 1 < lines.count, isTableRow(line), isTableDelimiter(lines[index + 1]) {
                out += table(lines, from: &index, depth: depth)
                continue
            }
            // A paragraph, or a setext heading when a line of = or - follows it.
            var paragraph: [String] = []
            var setext: Int?
            while index < lines.count {
                let next = lines[index]
                if isBlank(next) { break }
                if !paragraph.isEmpty, let level = setextLevel(next) {
                    setext = level
                    index += 1
                    break
                }
                if !paragraph.isEmpty, fence(next) != nil || heading(next) != nil || isRule(next) || quoteContent(next) != nil || listMarker(next) != nil { break }
                if !paragraph.isEmpty, index + 1 < lines.count, isTableRow(next), isTableDelimiter(lines[index + 1]) { break }
                paragraph.append(next.trimmingCharacters(in: .whitespaces))
                index += 1
            }
            let text = paragraph.joined(separator: " ")
            if let setext {
                out += "<h\(setext)>" + inline(text, depth: depth) + "</h\(setext)>\n"
            } else {
                out += "<p>" + inline(text, depth: depth) + "</p>\n"
            }
        }
        return out
    }

    /// A list marker: ordered (with its number) or not (with its bullet), and the column its content starts at.
    struct Marker: Equatable {
        var ordered: Bool
        var bullet: Character
        var start: Int
        var contentColumn: Int
    }

    static func list(_ lines: [String], from index: inout Int, kind first: Marker, depth: Int) -> String {
        var items: [[String]] = []
        while index < lines.count {
            let line = lines[index]
            if let marker = listMarker(line), marker.ordered == first.ordered, marker.bullet == first.bullet {
                items.append([String(line.dropFirst(marker.contentColumn))])
                index += 1
                continue
            }
            if isBlank(line) {
                // The list goes on only when an indented line or another item follows the blank lines.
                var next = index
                while next < lines.count, isBlank(lines[next]) { next += 1 }
                guard next < lines.count, leadingSpaces(lines[next]) >= 2 || listMarker(lines[next]).map({ $0.ordered == first.ordered && $0.bullet == first.bullet }) == true else { break }
                items[items.count - 1].append("")
                index += 1
                continue
            }
            let indent = leadingSpaces(line)
            if indent >= 2 {
                items[items.count - 1].append(String(line.dropFirst(min(indent, max(2, first.contentColumn)))))
                index += 1
                continue
            }
            // A lazy continuation of the item's paragraph.
            if let last = items.last?.last, !isBlank(last), fence(line) == nil, heading(line) == nil, !isRule(line), quoteContent(line) == nil, listMarker(line) == nil {
                items[items.count - 1].append(line)
                index += 1
                continue
            }
            break
        }
        let tag = first.ordered ? "ol" : "ul"
        let start = first.ordered && first.start != 1 ? " start=\"\(first.start)\"" : ""
        var out = "<\(tag)\(start)>\n"
        for item in items {
            out += depth < maxDepth
                ? "<li>" + blocks(item, depth: depth + 1) + "</li>\n"
                : "<li>" + HTMLText.escape(item.joined(separator: " ")) + "</li>\n"
        }
        return out + "</\(tag)>\n"
    }

    /// A GitHub-style pipe table: a header row, a delimiter row (`|---|:--:|`), then rows while lines hold a `|`.
    static func table(_ lines: [String], from index: inout Int, depth: Int) -> String {
        let header = cells(lines[index])
        index += 2
        var out = "<table>\n<thead><tr>" + header.map { "<th>" + inline($0, depth: depth) + "</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        while index < lines.count, !isBlank(lines[index]), isTableRow(lines[index]) {
            let row = cells(lines[index])
            let padded = (0..<header.count).map { $0 < row.count ? row[$0] : "" }
            out += "<tr>" + padded.map { "<td>" + inline($0, depth: depth) + "</td>" }.joined() + "</tr>\n"
            index += 1
        }
        return out + "</tbody>\n</table>\n"
    }

    static func isTableRow(_ line: String) -> Bool { leadingSpaces(line) <= 3 && line.contains("|") }

    static func isTableDelimiter(_ line: String) -> Bool {
        let row = cells(line)
        return !row.isEmpty && row.allSatisfy { cell in
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            return trimmed.contains("-") && trimmed.allSatisfy { $0 == "-" || $0 == ":" }
        }
    }

    /// The cells of a table row: split at `|` not escaped by a backslash, without the outer pipes.
    static func cells(_ line: String) -> [String] {
        var trimmed = Substring(line.trimmingCharacters(in: .whitespaces))
        if trimmed.hasPrefix("|") { trimmed = trimmed.dropFirst() }
        if trimmed.hasSuffix("|"), !trimmed.hasSuffix("\\|") { trimmed = trimmed.dropLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for char in trimmed {
            if char == "|", !escaped {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            escaped = char == "\\" && !escaped
            current.append(char)
        }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }

    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " } }

    static func leadingSpaces(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }

    /// The fence's character and length when `line` opens a fenced code block.
    static func fence(_ line: String) -> (Character, Int)? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let char = rest.first, char == "`" || char == "~" else { return nil }
        let count = rest.prefix(while: { $0 == char }).count
        guard count >= 3 else { return nil }
        if char == "`", rest.dropFirst(count).contains("`") { return nil }
        return (char, count)
    }

    static func closesFence(_ line: String, _ fence: (Character, Int)) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return leadingSpaces(line) <= 3 && trimmed.count >= fence.1 && trimmed.allSatisfy { $0 == fence.0 }
    }

    /// An ATX heading's level (shifted one down: the page's own title is the h1) and text.
    static func heading(_ line: String) -> (Int, String)? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let hashes = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = rest.dropFirst(hashes)
        guard after.isEmpty || after.first == " " else { return nil }
        var text = after.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s.
        let closing = text.reversed().prefix(while: { $0 == "#" }).count
        if closing > 0, closing == text.count || text.dropLast(closing).last == " " {
            text = String(text.dropLast(closing)).trimmingCharacters(in: .whitespaces)
        }
        return (min(hashes + 1, 6), text)
    }

    static func setextLevel(_ line: String) -> Int? {
        guard leadingSpaces(line) <= 3 else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let char = trimmed.first, trimmed.allSatisfy({ $0 == char }) else { return nil }
        return char == "=" ? 2 : char == "-" ? 3 : nil
    }

    static func isRule(_ line: String) -> Bool {
        guard leadingSpaces(line) <= 3 else { return false }
        let compact = line.filter { $0 != " " }
        guard let char = compact.first, "-*_".contains(char), compact.count >= 3 else { return false }
        return compact.allSatisfy { $0 == char }
    }

    /// The rest of a blockquote line after `>` and one optional space; nil when it is not one.
    static func quoteContent(_ line: String) -> String? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard rest.first == ">" else { return nil }
        let after = rest.dropFirst()
        return String(after.first == " " ? after.dropFirst() : after)
    }

    static func listMarker(_ line: String) -> Marker? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let first = rest.first else { return nil }
        if "-*+".contains(first) {
            let after = rest.dropFirst()
            guard after.isEmpty || after.first == " " else { return nil }
            return Marker(ordered: false, bullet: first, start: 1, contentColumn: indent + 1 + (after.isEmpty ? 0 : 1))
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...9).contains(digits.count) else { return nil }
        let after = rest.dropFirst(digits.count)
        guard let delimiter = after.first, delimiter == "." || delimiter == ")" else { return nil }
        let content = after.dropFirst()
        guard content.isEmpty || content.first == " " else { return nil }
        return Marker(ordered: true, bullet: delimiter, start: Int(digits) ?? 1, contentColumn: indent + digits.count + 1 + (content.isEmpty ? 0 : 1))
    }

    // MARK: Inline

    static func inline(_ text: String, depth: Int) -> String {
        var scanner = InlineScanner(Array(text))
        return scanner.render(0..<scanner.characters.count, depth: depth)
    }

    /// Renders one paragraph's inline Markdown; remembers where a closer was searched for in vain, so each kind of
    /// closer is searched past a given point at most once.
    struct InlineScanner {
        let characters: [Character]
        /// Per opener kind: a closer was not found at or after this position.
        var noCloserFrom: [String: Int] = [:]

        /// Where the run of equal characters starting at each position ends.
        let runEnd: [Int]
        /// The position of the next `]` at or after each position (`Int.max` when there is none).
        let nextClose: [Int]

        init(_ characters: [Character]) {
            self.characters = characters
            var runEnd = [Int](repeating: characters.count, count: characters.count)
            var nextClose = [Int](repeating: Int.max, count: characters.count + 1)
            for index in characters.indices.reversed() {
                if index + 1 < characters.count, characters[index + 1] == characters[index] { runEnd[index] = runEnd[index + 1] } else { runEnd[index] = index + 1 }
                nextClose[index] = characters[index] == "]" ? index : nextClose[index + 1]
            }
            self.runEnd = runEnd
            self.nextClose = nextClose
        }

        mutating func render(_ range: Range<Int>, depth: Int) -> String {
            var out = ""
            var literal = ""
            func flush() {
                out += HTMLText.escape(literal)
                literal = ""
            }
            var index = range.lowerBound
            let end = range.upperBound
            while index < end {
                let char = characters[index]
                if char == "\\", index + 1 < end, characters[index + 1].isASCII, characters[index + 1].isPunctuation || characters[index + 1].isSymbol {
                    literal.append(characters[index + 1])
                    index += 2
                    continue
                }
                if char == "&", let (decoded, length) = characterReference(at: index, end: end) {
                    literal.append(decoded)
                    index += length
                    continue
                }
                if char == "`" {
                    let run = runLength(at: index, end: end)
                    if let close = find(String(repeating: "`", count: run), from: index + run, end: end, exactRun: true) {
                        flush()
                        var code = String(characters[(index + run)..<close])
                        if code.count >= 2, code.first == " ", code.last == " " { code = String(code.dropFirst().dropLast()) }
                        out += "<code>" + HTMLText.escape(code) + "</code>"
                        index = close + run
                    } else {
                        literal += String(repeating: "`", count: run)
                        index += run
                    }
                    continue
                }
                if char == "[" || (char == "!" && index + 1 < end && characters[index + 1] == "[") {
                    let image = char == "!"
                    let open = image ? index + 1 : index
                    if let (textEnd, urlEnd) = link(at: open, end: end) {
                        flush()
                        let address = String(characters[(textEnd + 2)..<urlEnd]).trimmingCharacters(in: .whitespaces)
                        let label = depth < MarkdownHTML.maxDepth ? render((open + 1)..<textEnd, depth: depth + 1) : HTMLText.escape(String(characters[(open + 1)..<textEnd]))
                        out += image ? "<span class=\"image\">[image: " + label + "]</span>" : "<span class=\"link\">" + label + "</span>"
                        if !address.isEmpty { out += " <span class=\"address\">(" + HTMLText.escape(address) + ")</span>" }
                        index = urlEnd + 1
                    } else {
                        literal.append(char)
                        index += 1
                    }
                    continue
                }
                if char == "*" || char == "_" {
                    let run = min(runLength(at: index, end: end), 3)
                    let before = index > range.lowerBound ? characters[index - 1] : " "
                    let intraword = char == "_" && (before.isLetter || before.isNumber)
                    let delimiter = String(repeating: char, count: run)
                    if !intraword, depth < MarkdownHTML.maxDepth, index + run < end, !characters[index + run].isWhitespace,
                       let close = find(delimiter, from: index + run + 1, end: end, exactRun: false), !characters[close - 1].isWhitespace {
                        flush()
                        let inner = render((index + run)..<close, depth: depth + 1)
                        switch run {
                        case 1: out += "<em>" + inner + "</em>"
                        case 2: out += "<strong>" + inner + "</strong>"
                        default: out += "<strong><em>" + inner + "</em></strong>"
                        }
                        index = close + run
                    } else {
                        literal += delimiter
                        index += run
                    }
                    continue
                }
                literal.append(char)
                index += 1
            }
            flush()
            return out
        }

        /// A character reference at `index` (CommonMark: `&amp;`, `&#60;`, `&#x3C;`; the named ones a template or an
        /// editor writes), decoded, and its length; nil leaves the `&` as text. The character then goes through
        /// `HTMLText.escape` like any other: `sigit new` writes `<` in a value as `&lt;`, and the page shows `<`.
        func characterReference(at index: Int, end: Int) -> (Character, Int)? {
            let limit = min(end, index + 12)
            guard let semicolon = (index + 1..<limit).first(where: { characters[$0] == ";" }), semicolon > index + 1 else { return nil }
            let name = String(characters[(index + 1)..<semicolon])
            let named: [String: Character] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}"]
            if let character = named[name] { return (character, semicolon - index + 1) }
            guard name.hasPrefix("#") else { return nil }
            let hex = name.dropFirst().first.map { $0 == "x" || $0 == "X" } ?? false
            let digits = name.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, digits.count <= (hex ? 6 : 7), let value = UInt32(digits, radix: hex ? 16 : 10) else { return nil }
            // CommonMark: U+0000 and what is no Unicode scalar become U+FFFD; control characters are shown as that too.
            guard let scalar = Unicode.Scalar(value), value != 0, scalar.properties.generalCategory != .control else { return ("\u{FFFD}", semicolon - index + 1) }
            return (Character(scalar), semicolon - index + 1)
        }

        func runLength(at index: Int, end: Int) -> Int {
            min(runEnd[index], end) - index
        }

        /// The position of the next `delimiter` in `from..<end` (a run of exactly its length when `exactRun`).
        mutating func find(_ delimiter: String, from start: Int, end: Int, exactRun: Bool) -> Int? {
            let key = delimiter + (exactRun ? "!" : "")
            if let failed = noCloserFrom[key], start >= failed { return nil }
            let pattern = Array(delimiter)
            var index = start
            while index + pattern.count <= end {
                if characters[index] == "\\" { index += 2; continue }
                if Array(characters[index..<(index + pattern.count)]) == pattern {
                    let run = runLength(at: index, end: end)
                    if !exactRun || run == pattern.count { return index }
                    index += run
                    continue
                }
                index += 1
            }
            if end == characters.count { noCloserFrom[key] = min(noCloserFrom[key] ?? start, start) }
            return nil
        }

        /// For `[text](address)` starting at `open`: the positions of `]` and `)`.
        mutating func link(at open: Int, end: Int) -> (Int, Int)? {
            guard nextClose[open] != Int.max, nextClose[open] - open <= 1000 else { return nil }
            var depth = 0
            var index = open
            var textEnd: Int?
            let limit = min(end, open + 1000)
            while index < limit {
                let char = characters[index]
                if char == "\\" { index += 2; continue }
                if char == "[" { depth += 1 }
                if char == "]" {
                    depth -= 1
                    if depth == 0 { textEnd = index; break }
                }
                index += 1
            }
            guard let textEnd else { return nil }
            guard textEnd + 1 < end, characters[textEnd + 1] == "(" else { return nil }
            var parens = 0
            index = textEnd + 1
            while index < min(end, textEnd + 2000) {
                let char = characters[index]
                if char == "(" { parens += 1 }
                if char == ")" {
                    parens -= 1
                    if parens == 0 { return (textEnd, index) }
                }
                if char == "\n" { return nil }
                index += 1
            }
            return nil
        }
    }
}
