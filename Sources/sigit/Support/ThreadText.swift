import SigitCore

/// Comment threads as the terminal shows them; every repository string is escaped.
enum ThreadText {
    /// The lines of `thread`, each starting with `indent`.
    static func lines(_ thread: CommentThread, indent: String) -> [String] {
        let state = thread.resolved ? "resolved" : "open"
        let version = thread.current ? "" : ", on an earlier version \(thread.digest)"
        var out = ["\(indent)thread \(thread.id.prefix(19)) on \(Output.safe(thread.place)) [\(state)\(version)]"]
        for post in [thread.first] + thread.replies {
            let verb = post.resolves ? "resolved" : post.event == thread.first.event ? "wrote" : "replied"
            let late = post.afterEnd ? " (after the agreement ended)" : ""
            out.append("\(indent)  \(post.time)  \(Output.safe(post.identity)) \(verb)\(late)  \(Output.short(post.commit))")
            if !post.text.isEmpty { out.append(TerminalText.block(post.text, indent: indent + "    | ")) }
        }
        return out
    }
}
