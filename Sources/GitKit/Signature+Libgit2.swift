internal import CLibgit2

extension Signature {
    /// Copies a libgit2 signature, decoding its strings leniently.
    init(_ signature: UnsafePointer<git_signature>) {
        self.init(
            name: CString.decode(signature.pointee.name),
            email: CString.decode(signature.pointee.email),
            time: Int64(signature.pointee.when.time),
            offsetMinutes: Int32(signature.pointee.when.offset)
        )
    }

    /// Calls `body` with a libgit2 copy of this signature, freed afterwards.
    func withGitSignature<R>(_ body: (UnsafePointer<git_signature>) throws -> R) throws -> R {
        var signature: UnsafeMutablePointer<git_signature>?
        try GitError.check(
            git_signature_new(&signature, name, email, git_time_t(time), Int32(offsetMinutes)),
            "make signature for \(name) <\(email)>")
        guard let signature else {
            throw GitError(code: .other(-1), operation: "make signature for \(name) <\(email)>",
                           message: "libgit2 returned no signature")
        }
        defer { git_signature_free(signature) }
        return try body(signature)
    }
}
