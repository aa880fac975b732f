/// One "Key: value" trailer from the last paragraph of a commit message.
public struct Trailer: Sendable, Equatable {
    /// The trailer key, e.g. "Sigit-Action".
    public let key: String
    /// The trailer value, e.g. "approve".
    public let value: String

    /// Creates a trailer from its parts.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
