import ArgumentParser
import Foundation
import SigitCore

/// `sigit verify [REV|A..B]`: checks every commit against the rules; exit 1 on a violation.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check history against the policy; exit 1 when a rule is broken.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "A revision (default HEAD) or a range A..B (only commits in B not in A are reported).") var revision: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Check every signature again instead of trusting the answers remembered in .git/sigit/cache (as trustworthy as .git itself).") var noCache = false
    @Option(help: ArgumentHelp("Check the evidence package sigit export wrote at PATH instead (offline; nothing is written).", valueName: "PATH")) var export: String?
    @Option(name: .customLong("root"), help: ArgumentHelp("With --export (required there): the trust root your organisation published; the package's history must start there.", valueName: "COMMIT")) var trustRoot: String?

    struct Item: Codable {
        let commit: String; let rule: String; let message: String
        init(_ finding: Finding) { commit = finding.commit.hex; rule = finding.rule.rawValue; message = finding.message }
    }
    struct Report: Codable { let ok: Bool; let checked: Int; let violations: [Item]; let warnings: [Item] }

    func run() throws {
        if let export { return try verifyExport(export) }
        guard trustRoot == nil else { throw ValidationError("--root goes with --export") }
        let workspace = try root.workspace()
        if noCache { workspace.useCache = false }
        workspace.keepsEntries = false
        let result = try workspace.verify(revision)
        let split = FindingSplit(result.findings)
        let violations = split.violations.map(Item.init), warnings = split.warnings.map(Item.init)
        let report = Report(ok: violations.isEmpty, checked: result.checked, violations: violations, warnings: warnings)
        if json {
            try Output.json(report)
        } else {
            for v in violations { print("violation \(Output.short(v.commit)) [\(v.rule)] \(Output.safe(v.message))") }
            for w in warnings { print("warning   \(Output.short(w.commit)) [\(w.rule)] \(Output.safe(w.message))") }
            print(violations.isEmpty ? "ok: \(Plural.count(report.checked, "commit")) checked, no violations" : "FAILED: \(Plural.count(violations.count, "violation")) in \(Plural.count(report.checked, "commit"))")
        }
        if !violations.isEmpty { throw ExitCode(1) }
    }
}

extension VerifyCommand {
    struct ExportReport: Codable { let ok: Bool; let agreement: String; let state: String; let commit: String; let trustRoot: String
        let checked: Int; let violations: [Item]; let warnings: [Item]; let problems: [String] }

    /// `sigit verify --export PATH`.
    func verifyExport(_ path: String) throws {
        guard revision == nil else { throw ValidationError("--export checks a package: give no revision") }
        guard let trustRoot else {
            throw SigitError.badInput("--export needs --root COMMIT, the trust root your organisation published: every file of a package is rebuilt from its own history, so without it a history anyone made with their own keys would pass")
        }
        let verdict = try EvidencePackage.check(path, expectedRoot: trustRoot)
        let split = FindingSplit(verdict.findings)
        let violations = split.violations.map(Item.init), warnings = split.warnings.map(Item.init)
        if json {
            try Output.json(ExportReport(ok: verdict.ok, agreement: verdict.id, state: verdict.state, commit: verdict.tip, trustRoot: verdict.root,
                                         checked: verdict.checked, violations: violations, warnings: warnings, problems: verdict.problems))
        } else {
            for v in violations { print("violation \(Output.short(v.commit)) [\(v.rule)] \(Output.safe(v.message))") }
            for w in warnings { print("warning   \(Output.short(w.commit)) [\(w.rule)] \(Output.safe(w.message))") }
            for p in verdict.problems { print("problem   \(Output.safe(p))") }
            print(verdict.ok
                ? "ok: \(verdict.id) is \(verdict.state) at \(verdict.tip); \(Plural.count(verdict.checked, "commit")) checked; trust root \(verdict.root); every file matches the history"
                : "FAILED: \(Plural.count(violations.count, "violation")), \(Plural.count(verdict.problems.count, "problem")) in the evidence package")
        }
        if !verdict.ok { throw ExitCode(1) }
    }
}
