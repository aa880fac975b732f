import Foundation
import SigitServe
import TestSupport
import Testing

/// Spec section 9: the signing page shows the agreement's documents; a document is untrusted and must not be able to
/// run script, load anything, link anywhere or fake the page around it.
@Suite("Markdown on the signing page")
struct MarkdownHTMLTests {
    /// The only tags the renderer writes.
    static let allowedTags: Set<String> = ["h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "em", "strong", "code", "pre", "blockquote", "hr", "span",
                                                   "table", "thead", "tbody", "tr", "th", "td"]

    /// Every tag in `html`, by name; fails the test on an attribute other than `class` or `start`.
    static func tags(_ html: String) -> [String] {
        var names: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else {
                Issue.record("an unclosed < in the output")
                break
            }
            let inside = rest[rest.index(after: open)..<close]
            let name = inside.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })
            names.append(name.lowercased())
            let attributes = inside.dropFirst(name.count + (inside.hasPrefix("/") ? 1 : 0)).trimmingCharacters(in: .whitespaces)
            if !attributes.isEmpty {
                #expect(attributes.hasPrefix("class=\"") || attributes.hasPrefix("start=\""), "unexpected attributes \(attributes)")
                #expect(!attributes.lowercased().contains("href") && !attributes.lowercased().contains("src") && !attributes.lowercased().contains("on"))
            }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    @Test("the Markdown the agreements use renders: headings, paragraphs, lists, emphasis, code, blockquote, rule")
    func rendersTheBasics() {
        let html = MarkdownHTML.render("""
            # Mutual NDA

            Between **Acme** and *Example*, see `clause 2`.

            - first
            - second with __strong__

            1. one
            2. two

            > quoted
            > text

            ---

            ```
            code <here>
            ```
            """)
        #expect(html.contains("<h2>Mutual NDA</h2>"))
        #expect(html.contains("<p>Between <strong>Acme</strong> and <em>Example</em>, see <code>clause 2</code>.</p>"))
        #expect(html.contains("<ul>\n<li><p>first</p>\n</li>\n<li><p>second with <strong>strong</strong></p>\n</li>\n</ul>"))
        #expect(html.contains("<ol>\n<li><p>one</p>"))
        #expect(html.contains("<blockquote>\n<p>quoted text</p>\n</blockquote>"))
        #expect(html.contains("<hr>"))
        #expect(html.contains("<pre><code>code &lt;here&gt;</code></pre>"))
        for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag)") }
    }

    @Test("pipe tables render with escaped cells")
    func tables() {
        let html = MarkdownHTML.render("| Party | Role |\n|---|:--:|\n| **Acme** | <b>discloser</b> |\n| a \\| b |\n")
        #expect(html == "<table>\n<thead><tr><th>Party</th><th>Role</th></tr></thead>\n<tbody>\n<tr><td><strong>Acme</strong></td><td>&lt;b&gt;discloser&lt;/b&gt;</td></tr>\n<tr><td>a | b</td><td></td></tr>\n</tbody>\n</table>\n")
    }

    @Test("character references show as their characters, escaped again (sigit new writes a value's < as &lt;)", arguments: [
        ("**Globex &lt;Corp&gt; &amp; Sons**", "<p><strong>Globex &lt;Corp&gt; &amp; Sons</strong></p>\n"),
        ("| Globex &lt;Corp&gt; &amp; Sons | `erin` |\n|---|---|\n", "<table>\n<thead><tr><th>Globex &lt;Corp&gt; &amp; Sons</th><th><code>erin</code></th></tr></thead>\n<tbody>\n</tbody>\n</table>\n"),
        ("&#60;script&#x3E; &quot;q&quot; &apos;", "<p>&lt;script&gt; &quot;q&quot; &#39;</p>\n"),
        ("&#0; &#xD800; &#1; &#x202E;x", "<p>\u{FFFD} \u{FFFD} \u{FFFD} \\u{202e}x</p>\n"),
        ("&unknown; & &; &#; &#x; &#12345678; AT&T", "<p>&amp;unknown; &amp; &amp;; &amp;#; &amp;#x; &amp;#12345678; AT&amp;T</p>\n"),
        ("`&lt;` stays in code", "<p><code>&amp;lt;</code> stays in code</p>\n"),
    ])
    func characterReferences(source: String, expected: String) {
        let html = MarkdownHTML.render(source)
        #expect(html == expected)
        for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag)") }
    }

    @Test("raw HTML is shown as text, never passed through", arguments: [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"position:fixed;top:0\">Approve is safe</div>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<!-- comment --><style>body{display:none}</style>",
    ])
    func rawHTMLEscaped(source: String) {
        let html = MarkdownHTML.render(source)
        #expect(!html.contains("<script"), "\(html)")
        #expect(!html.contains("<img"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<div"))
        #expect(!html.contains("<a "))
        #expect(!html.contains("<style"))
        #expect(!html.contains("<!--"))
        #expect(html.contains("&lt;"))
        for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag)") }
    }

    @Test("links and images show as their text and address, never as href or src", arguments: [
        "[click me](javascript:alert(document.cookie))",
        "[spoof](https://evil.example/\"onmouseover=\"alert(1))",
        "![logo](https://tracker.example/pixel.png)",
        "<https://evil.example>",
        "[ref][1]\n\n[1]: javascript:alert(1)",
    ])
    func linksAsText(source: String) {
        let html = MarkdownHTML.render(source)
        #expect(!html.contains("href"), "\(html)")
        #expect(!html.contains("src="))
        #expect(!html.contains("<a"))
        #expect(!html.contains("<img"))
        for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag)") }
    }

    @Test("a link's text is kept and its address shown escaped")
    func linkText() {
        let html = MarkdownHTML.render("See [the annex](https://example.org/a?b=1&c=\"2\").")
        #expect(html.contains("<span class=\"link\">the annex</span> <span class=\"address\">(https://example.org/a?b=1&amp;c=&quot;2&quot;)</span>"))
    }

    @Test("control and bidirectional-override characters cannot hide or reorder text")
    func controlsShown() {
        let html = MarkdownHTML.render("Pay \u{202E}0001\u{202C} EUR\u{1B}[2J")
        #expect(!html.contains("\u{202E}"))
        #expect(!html.contains("\u{1B}"))
        #expect(html.contains("\\u{202e}"))
    }

    @Test("escaped and unmatched delimiters stay literal")
    func literals() {
        #expect(MarkdownHTML.render("2 \\* 3 * 4 and snake_case_name") == "<p>2 * 3 * 4 and snake_case_name</p>\n")
        #expect(MarkdownHTML.render("`unclosed and **open") == "<p>`unclosed and **open</p>\n")
    }

    @Test("hostile nesting and runs of delimiters render, bounded in depth", arguments: [
        String(repeating: ">", count: 5000) + " deep",
        String(repeating: "- ", count: 3000) + "item",
        String(repeating: "*a ", count: 20000),
        String(repeating: "[", count: 20000) + String(repeating: "]", count: 10),
        String(repeating: "**", count: 20000) + "x",
        String(repeating: "`", count: 10000),
        String(repeating: "_*", count: 20000),
    ])
    func hostileNesting(source: String) {
        let html = MarkdownHTML.render(source)
        #expect(!html.isEmpty)
        #expect(html.components(separatedBy: "<blockquote>").count - 1 <= MarkdownHTML.maxDepth)
        #expect(html.components(separatedBy: "<ul>").count - 1 <= MarkdownHTML.maxDepth + 1)
        for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag)") }
    }

    @Test("random documents from a hostile alphabet only ever produce the renderer's own tags")
    func randomDocuments() {
        var generator = SeededGenerator(seed: 2026)
        let alphabet = Array("<>&\"'`*_[]()!#->\\ \n\n1.abc:/=|\u{202E}\u{0}\t")
        for _ in 0..<500 {
            let length = Int.random(in: 0..<300, using: &generator)
            let source = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            let html = MarkdownHTML.render(source)
            for tag in Self.tags(html) { #expect(Self.allowedTags.contains(tag), "tag \(tag) from \(source.debugDescription)") }
            #expect(!html.contains("\u{202E}"))
        }
    }
}
