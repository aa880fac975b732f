import Foundation
import GitKit

/// A counted time-stamp token in the reference model's state (spec section 8).
struct ModelStamp: Equatable {
    /// The token's genTime, as TrustedTime verified it.
    var genTime: Date
    /// The timestamp event that added it.
    var addedBy: ObjectID
}
