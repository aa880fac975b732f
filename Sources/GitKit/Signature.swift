/// Who made a commit and when, as git records it in the author and committer lines.
public struct Signature: Sendable, Equatable {
    /// The person's name.
    public var name: String
    /// The person's email address, without angle brackets.
    public var email: String
    /// The moment, in seconds since the Unix epoch.
    public var time: Int64
    /// The time zone offset from UTC, in minutes (e.g. +0130 is 90).
    public var offsetMinutes: Int32

    /// Creates a signature from its parts.
    public init(name: String, email: String, time: Int64, offsetMinutes: Int32) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}
