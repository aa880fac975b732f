import Foundation
import SSHSig

/// One line of an exported `allowed_signers`: a key, the principal (email) it had, and the window in which it had it
/// (spec section 4, *Who someone was*). The window's ends are the committer times of the commits that ratified the
/// policies where the key got that principal and where it lost it (changed principal or left), narrowed by the key's
/// own `valid-after`/`valid-before`; nil ends are open.
struct SignerWindow: Sendable, Equatable {
    /// The key.
    let key: SSHPublicKey
    /// The principal: the email of the identity that held the key in that window.
    let email: String
    /// First second of the window (OpenSSH `valid-after`, inclusive).
    var after: Date?
    /// Last second of the window (OpenSSH `valid-before`: ssh-keygen accepts a signature made at that second).
    var before: Date?

    /// Whether some second lies in the window.
    var isEmpty: Bool {
        guard let after, let before else { return false }
        return after > before
    }

    /// The `allowed_signers` line, times in OpenSSH's `YYYYMMDDHHMMSSZ` (UTC).
    var line: String {
        var options = "namespaces=\"git\""
        if let after { options += ",valid-after=\"\(RFC3339.compact(after))\"" }
        if let before { options += ",valid-before=\"\(RFC3339.compact(before))\"" }
        return "\(email) \(options) \(key.openSSH)"
    }

    /// Every window of every key the ratified policies of a history listed, oldest policy first.
    ///
    /// `policies` are the ratified policies with the committer time of their ratifying commit. A key's window ends
    /// when a later policy gives it another principal or another validity (a new window starts there), or leaves it
    /// out (a key that left never signs again, spec section 3: no window after). A key's first window starts at its own
    /// `valid-after`, if any. A key any of them marks revoked gets
    /// no window: none of its events count. A key any of them marks `compromised-since` keeps its windows, each ending
    /// by the earliest such time at the latest: its earlier signatures may still count (spec section 8, with a
    /// time-stamp token), its later ones never do. Windows of one key and principal that meet are joined, so a key whose
    /// listing never changed has exactly one line.
    static func all(_ policies: [(policy: Policy, time: Date)]) -> [SignerWindow] {
        struct Listing: Equatable {
            let email: String
            let validAfter: Date?
            let validBefore: Date?
        }
        var revoked = Set<Data>()
        var compromised: [Data: Date] = [:]
        for (policy, _) in policies {
            for identity in policy.identities.values {
                for key in identity.keys {
                    if key.revoked { revoked.insert(key.key.blob) }
                    if let since = key.compromisedSince { compromised[key.key.blob] = min(since, compromised[key.key.blob] ?? since) }
                }
            }
        }
        var open: [Data: (listing: Listing, key: SSHPublicKey, start: Date?)] = [:]
        var left = Set<Data>()
        var seen = Set<Data>()
        var windows: [SignerWindow] = []
        func close(_ blob: Data, at end: Date?) {
            guard let o = open.removeValue(forKey: blob) else { return }
            let after = [o.start, o.listing.validAfter].compactMap { $0 }.max()
            let before = [end, o.listing.validBefore, compromised[blob]].compactMap { $0 }.min()
            let window = SignerWindow(key: o.key, email: o.listing.email, after: after, before: before)
            guard !window.isEmpty else { return }
            // Joined with the key's previous window when it is the same principal and the two meet at a boundary.
            if let last = windows.lastIndex(where: { $0.key.blob == blob }), windows[last].email == window.email,
               let end = windows[last].before, end == window.after {
                windows[last].before = window.before
            } else {
                windows.append(window)
            }
        }
        for (policy, time) in policies {
            var listed: [Data: (Listing, SSHPublicKey)] = [:]
            for identity in policy.identities.values {
                for key in identity.keys where !revoked.contains(key.key.blob) {
                    listed[key.key.blob] = (Listing(email: identity.email, validAfter: key.validAfter, validBefore: key.validBefore), key.key)
                }
            }
            for blob in open.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                guard let (listing, _) = listed[blob] else {
                    close(blob, at: time)
                    left.insert(blob)
                    continue
                }
                if listing != open[blob]?.listing { close(blob, at: time) }
            }
            for (blob, (listing, key)) in listed.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where open[blob] == nil && !left.contains(blob) {
                // A key's first window is bounded by its own validity only: sigit counts an event by the policy in force at
                // its parents, whatever its committer time, so a start at the ratifying commit could shut out an event
                // it counted. A later window starts where the principal or validity changed.
                open[blob] = (listing, key, seen.insert(blob).inserted ? nil : time)
            }
        }
        for blob in open.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) { close(blob, at: nil) }
        return windows.sorted { a, b in
            (a.email, a.key.openSSH, a.after ?? .distantPast) < (b.email, b.key.openSSH, b.after ?? .distantPast)
        }
    }
}
