import ArgumentParser
import Foundation
import SigitCore

/// `sigit log [ID]`: the verified audit trail.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the audit trail: who, key, action, step, time, commit.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Only events of this agreement.", completion: .agreements) var id: String?
    @Flag(help: "Print JSON.") var json = false

    /// One event. `name`, `email`, `kind`, `owner` are the actor as the policy in force at the event's parents listed
    /// them (spec section 4, *Who someone was*), not as the policy lists them now. `signature` is what the good
    /// signature shows (spec section 7): hardware-backed, and a FIDO signature's type, flags, counter and origin.
    /// `trustedTime` is the event's counted time-stamp token (spec section 8), absent when it has none.
    struct Row: Codable {
        let commit: String; let time: String; let action: String; let identity: String?
        let name: String?; let email: String?; let kind: String?; let owner: String?
        let fingerprint: String?; let keyType: String?; let signature: SignatureEvidence?
        let agreements: [String]; let step: String?; let subject: String; let text: String; let violations: [String]
        let trustedTime: TrustedTimeEvidence?
    }

    func run() throws {
        let (entries, bad) = try root.workspace().auditTrail(agreement: id)
        let rows = entries.map {
            Row(commit: $0.commit.hex, time: RFC3339.format($0.time), action: $0.action, identity: $0.identity,
                name: $0.signer?.name, email: $0.signer?.email, kind: $0.signer?.kind.rawValue, owner: $0.signer?.owner,
                fingerprint: $0.fingerprint, keyType: $0.keyType, signature: $0.signature, agreements: $0.agreements, step: $0.step, subject: $0.subject, text: $0.body,
                violations: (bad[$0.commit] ?? []).map(\.rawValue), trustedTime: TrustedTimeEvidence($0))
        }
        if json { return try Output.json(["events": rows]) }
        for row in rows {
            var who = TerminalText.safe(row.identity ?? "?")
            if let email = row.email { who += " <\(TerminalText.safe(email))>" }
            var line = "\(row.time)  \(Output.short(row.commit))  \(who)  \(row.action)"
            if !row.agreements.isEmpty { line += " \(row.agreements.joined(separator: ","))" }
            if let step = row.step { line += " (step \(step))" }
            if let fingerprint = row.fingerprint {
                line += "  " + TerminalText.safe(row.signature?.summary(keyType: row.keyType ?? "") ?? row.keyType ?? "") + " \(fingerprint)"
                if let origin = row.signature?.origin { line += " origin \(TerminalText.safe(origin))" }
            } else {
                line += "  unsigned"
            }
            if !row.violations.isEmpty { line += "  VIOLATION: \(row.violations.joined(separator: ","))" }
            print(line)
            if let stamp = row.trustedTime { print("    " + stamp.terminalLine) }
            if !row.text.isEmpty { print(TerminalText.block(row.text, indent: "    | ")) }
        }
    }
}
