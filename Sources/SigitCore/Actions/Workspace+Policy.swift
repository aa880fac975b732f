import Foundation
import GitKit

extension Workspace {
    /// Applies an admin change to the policy in force as one signed `policy` event (serial + 1).
    public func changePolicy(subject: String, _ change: @escaping (inout Policy) throws -> Void) throws -> Written {
        try write { state, me in
            guard var policy = state.policy else { throw SigitError.repository("no policy in force") }
            guard policy.allows(.admin, me.id) else {
                throw SigitError.notAllowed("\(me.id) is not an admin; only admins change the policy; nothing was written")
            }
            try change(&policy)
            policy.serial += 1
            var trailers = EventTrailers()
            trailers.version = "1"
            trailers.action = .policy
            trailers.identity = me.id
            return EventDraft(subject: subject, trailers: trailers, files: try PolicyEditor.files(policy),
                              checkoutPaths: [Policy.path, PolicyEditor.allowedSignersPath])
        }
    }
}
