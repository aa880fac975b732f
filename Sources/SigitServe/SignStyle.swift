/// `/static/sign.css`: the signing page's style sheet, embedded in the binary.
enum SignStyle {
    /// The style sheet's text.
    static let text = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f6f7f9; color: #1b1f24; line-height: 1.5; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; background: #fff; min-height: 100vh; }
h1 { margin: 0.2rem 0 1rem; font-size: 1.7rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #d8dde3; padding-bottom: 0.2rem; margin-top: 2rem; }
.kicker { margin: 0; color: #57606a; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid #eaeef2; }
table.facts th { width: 12rem; color: #57606a; font-weight: normal; }
tr.current { background: #fff8e1; }
td ul { margin: 0; padding-left: 1rem; }
.digest { font-size: 1.1rem; padding: 0.8rem; background: #eef6ff; border: 2px solid #0969da; border-radius: 6px; overflow-wrap: anywhere; }
.digest code { font-weight: bold; }
button { font-size: 1rem; padding: 0.5rem 1.2rem; border-radius: 6px; border: 1px solid #1f2328; background: #1f883d; color: #fff; cursor: pointer; }
button#decline { background: #cf222e; }
button:disabled { opacity: 0.5; cursor: wait; }
textarea { width: 100%; max-width: 40rem; font: inherit; }
.refused { color: #9a6700; }
.note { color: #333; background: #f3f4f6; padding: 0.4em 0.6em; border-left: 3px solid #888; }
.done { font-size: 1.1rem; padding: 0.8rem; background: #dafbe1; border: 1px solid #1f883d; border-radius: 6px; }
#message.error { color: #cf222e; font-weight: bold; }
#message.progress { color: #0969da; }
.document { border: 1px solid #d8dde3; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
.hash { color: #57606a; font-size: 0.9rem; overflow-wrap: anywhere; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote { border-left: 4px solid #d0d7de; margin-left: 0; padding-left: 1rem; color: #424a53; }
li > p { margin: 0.2rem 0; }
.address { color: #57606a; overflow-wrap: anywhere; }
.markdown table { margin: 0.5rem 0; }
.markdown th, .markdown td { border: 1px solid #d8dde3; }
iframe.pdf { width: 100%; height: 40rem; border: 1px solid #d8dde3; }
footer { margin-top: 2rem; color: #57606a; font-size: 0.9rem; }
"""
}
