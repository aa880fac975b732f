import ArgumentParser
import Foundation
import SigitCore

/// How a written policy change or approval ended (SigitCore's `PolicyChangeOutcome`), as one line.
enum PolicyOutcome {
    /// `<commit>` plus whether the change is in force or, pending, how many admins signed and what to do next.
    static func describe(_ written: Workspace.Written) -> String {
        let commit = Output.short(written.commit.hex)
        switch written.policyOutcome {
        case .inForce(let serial, _)?:
            return "\(commit): serial \(serial) is in force"
        case .pending(let digest, let approvals, let threshold)?:
            return "\(commit), pending: \(approvals) of \(threshold) admins signed; another admin runs sigit policy approve (digest \(digest)), or sigit policy withdraw drops it"
        case nil:
            return commit
        }
    }
}
