import Foundation

/// What an event's counted time-stamp token shows (spec section 8), as `sigit log` and certificates carry it beside
/// the committer time: a time-stamping authority the policy lists vouches that the event's commit object existed at
/// `genTime`. It says nothing about who signed the event (the signature does that).
public struct TrustedTimeEvidence: Codable, Sendable, Equatable {
    /// The token's genTime, RFC 3339 UTC, whole seconds (fractions cut off).
    public var genTime: String
    /// The name of the policy's authority the token chains to.
    public var authority: String
    /// The subject of the TSA certificate that signed the token (from the token: untrusted text).
    public var tsaSubject: String
    /// The `timestamp` event that added the token.
    public var addedBy: String
    /// The token's path in the tree of `addedBy` (`.sigit/timestamps/<event>.tsr`).
    public var path: String
    /// The committer time minus genTime, in seconds (rounded): normally zero or negative (a token is asked for after the
    /// commit); positive when the committer time is later than the authority's time.
    public var skewSeconds: Int
    /// The committer time is later than genTime by more than the policy's `max-skew`: a `clock-skew` warning.
    public var clockSkew: Bool

    /// Builds the evidence from its fields (decoding, tests).
    public init(genTime: String, authority: String, tsaSubject: String, addedBy: String, path: String, skewSeconds: Int, clockSkew: Bool) {
        self.genTime = genTime
        self.authority = authority
        self.tsaSubject = tsaSubject
        self.addedBy = addedBy
        self.path = path
        self.skewSeconds = skewSeconds
        self.clockSkew = clockSkew
    }

    /// The evidence of `entry`'s counted token; nil when it has none.
    public init?(_ entry: LogEntry) {
        guard let stamp = entry.trustedTime else { return nil }
        let skew = entry.time.timeIntervalSince(stamp.genTime)
        self.init(genTime: RFC3339.format(Date(timeIntervalSince1970: stamp.genTime.timeIntervalSince1970.rounded(.down))),
                  authority: stamp.authority, tsaSubject: stamp.tsaSubject, addedBy: stamp.addedBy.hex, path: stamp.path,
                  skewSeconds: Int(skew.rounded()), clockSkew: entry.clockSkew)
    }

    /// The warning in words, e.g. `clock skew: the committer time is 2h 5m 3s later than the trusted time`; nil
    /// without `clockSkew`.
    public var warning: String? {
        clockSkew ? "clock skew: the committer time is \(Ledger.duration(TimeInterval(skewSeconds))) later than the trusted time" : nil
    }

    /// The line `sigit log` prints under the event: `trusted time 2026-01-01T10:00:00Z by example-tsa (CN=…)`, then
    /// the warning when there is one; control characters of the repository's text escaped.
    public var terminalLine: String {
        "trusted time \(genTime) by \(TerminalText.safe(authority)) (\(TerminalText.safe(tsaSubject)))" + (warning.map { "  WARNING: \($0)" } ?? "")
    }
}
