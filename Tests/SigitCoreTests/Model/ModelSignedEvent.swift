import Foundation
import GitKit

/// A counted, signed event in the reference model's state (spec section 8): what a time-stamp token may cover.
struct ModelSignedEvent: Equatable {
    /// The commit that carried it when it counted (the token's imprint hashes its object).
    var commit: ObjectID
    /// The key that signed it.
    var keyBlob: Data
    /// The agreement it belongs to; nil for a policy event (the trust root, a change, an approval, an enrollment).
    var agreement: String?
}
