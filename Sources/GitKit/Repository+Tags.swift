import Foundation
internal import CLibgit2

extension Repository {
    /// The bytes of an annotated tag object, as git writes them before a signature is appended.
    public static func tagBuffer(target: ObjectID, name: String, tagger: Signature, message: String) -> Data {
        let sign = tagger.offsetMinutes < 0 ? "-" : "+"
        let minutes = abs(Int(tagger.offsetMinutes))
        let zone = sign + String(format: "%02d%02d", minutes / 60, minutes % 60)
        var text = "object \(target.hex)\ntype commit\ntag \(name)\n"
        text += "tagger \(tagger.name) <\(tagger.email)> \(tagger.time) \(zone)\n\n"
        text += message.hasSuffix("\n") ? message : message + "\n"
        return Data(text.utf8)
    }

    /// Stores an annotated tag object: `buffer` followed by the armored `signature` (git's layout for signed tags).
    /// A buffer or signature holding a NUL byte is refused.
    public func createTag(buffer: Data, signature: String) throws -> ObjectID {
        let operation = "write a tag"
        let armored = signature.hasSuffix("\n") ? signature : signature + "\n"
        let bytes = buffer + Data(armored.utf8)
        guard !bytes.contains(0) else { throw GitError(code: .invalidSpec, operation: operation, message: "the tag contains a NUL byte") }
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, pointer), operation)
        defer { git_odb_free(odb) }
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { raw in git_odb_write(&oid, odb, raw.baseAddress, raw.count, GIT_OBJECT_TAG) }
        try GitError.check(result, operation)
        return ObjectID(oid)
    }
}

extension Repository {
    /// Annotated tag `id` split the way `git tag -v` reads it: the bytes signed (everything before the armored
    /// SSH signature at the end of the message), the armor (nil when unsigned), and the object the tag points to.
    /// Throws when `id` is not an annotated tag.
    public func signedTag(_ id: ObjectID) throws -> (payload: Data, signature: String?, target: ObjectID) {
        let operation = "read tag \(id)"
        var tag: OpaquePointer?
        var oid = id.oid
        try GitError.check(git_tag_lookup(&tag, pointer, &oid), operation)
        defer { git_tag_free(tag) }
        guard let targetOID = git_tag_target_id(tag) else { throw GitError(code: .notFound, operation: operation, message: "the tag has no target") }
        let target = ObjectID(targetOID.pointee)
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, pointer), operation)
        defer { git_odb_free(odb) }
        var object: OpaquePointer?
        try GitError.check(git_odb_read(&object, odb, &oid), operation)
        defer { git_odb_object_free(object) }
        let bytes = Data(bytes: git_odb_object_data(object), count: git_odb_object_size(object))
        let marker = Data("-----BEGIN SSH SIGNATURE-----".utf8)
        guard let range = bytes.range(of: marker, options: .backwards), range.lowerBound == bytes.startIndex || bytes[range.lowerBound - 1] == 0x0A else {
            return (bytes, nil, target)
        }
        return (bytes[bytes.startIndex..<range.lowerBound], String(decoding: bytes[range.lowerBound...], as: UTF8.self), target)
    }
}
