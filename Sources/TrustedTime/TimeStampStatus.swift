/// PKIStatus of a time-stamp response (RFC 3161 2.4.2).
public enum TimeStampStatus: Int, Sendable, Hashable, CustomStringConvertible {
    /// The token is present.
    case granted = 0
    /// The token is present, made with modifications.
    case grantedWithMods = 1
    /// The request was refused.
    case rejection = 2
    /// The request is queued (no token yet).
    case waiting = 3
    /// A revocation is imminent.
    case revocationWarning = 4
    /// A revocation has occurred.
    case revocationNotification = 5

    /// True when the response must carry a token.
    public var isGranted: Bool { self == .granted || self == .grantedWithMods }

    /// The RFC's name.
    public var description: String {
        switch self {
        case .granted: return "granted"
        case .grantedWithMods: return "grantedWithMods"
        case .rejection: return "rejection"
        case .waiting: return "waiting"
        case .revocationWarning: return "revocationWarning"
        case .revocationNotification: return "revocationNotification"
        }
    }
}
