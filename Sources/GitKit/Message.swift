internal import CLibgit2

/// libgit2's reading of a commit message. It is an older port of git's than `TrailerBlock` (no cut line, any
/// `---` line ends the message, its own parser for continued values), so sigit reads with `TrailerBlock` and
/// uses this only to check that libgit2 agrees.
public enum Message {
    /// Parses the trailers of a commit message with `git_message_trailers`, in order.
    public static func trailers(_ message: String) throws -> [Trailer] {
        Libgit2Runtime.ensure()
        var array = git_message_trailer_array()
        defer { git_message_trailer_array_free(&array) }
        try GitError.check(git_message_trailers(&array, message), "read the trailers of a commit message")
        guard let trailers = array.trailers else { return [] }
        return (0..<array.count).map { index in
            Trailer(key: CString.decode(trailers[index].key), value: CString.decode(trailers[index].value))
        }
    }
}
