import Foundation
import Testing
@testable import GitKit

@Suite("Compare-and-swap reference updates")
struct ReferenceUpdateTests {
    static let branch = "refs/heads/main"

    @Test("a new reference is created when none was expected")
    func createsNewReference() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        try scratch.repository.updateReference(Self.branch, to: first, expecting: nil, message: "sigit: create")
        #expect(try scratch.repository.resolveReference(Self.branch) == first)
        #expect(try scratch.repository.resolveReference("HEAD") == first)
        #expect(try scratch.gitSucceeds("rev-parse", "main").line == first.hex)
        #expect(try scratch.gitSucceeds("reflog", "-1", "--format=%gs", "main").line == "sigit: create")
    }

    @Test("the reference moves when it still points at the expected old value")
    func movesWhenOldMatches() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        let second = try scratch.repository.makeCommit(parents: [first], message: "two\n")
        try scratch.repository.updateReference(Self.branch, to: first, expecting: nil, message: "create")
        try scratch.repository.updateReference(Self.branch, to: second, expecting: first, message: "advance")
        #expect(try scratch.gitSucceeds("rev-parse", "main").line == second.hex)
    }

    @Test("a stale old value fails with modified and leaves the reference alone")
    func staleOldValue() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        let second = try scratch.repository.makeCommit(parents: [first], message: "two\n")
        let third = try scratch.repository.makeCommit(parents: [first], message: "three\n")
        try scratch.repository.updateReference(Self.branch, to: first, expecting: nil, message: "create")
        // Another writer moves the branch with stock git.
        try scratch.gitSucceeds("update-ref", Self.branch, second.hex)
        #expect {
            try scratch.repository.updateReference(Self.branch, to: third, expecting: first, message: "lost race")
        } throws: { error in
            (error as? GitError)?.code == .modified
        }
        #expect(try scratch.repository.resolveReference(Self.branch) == second)
    }

    @Test("expecting no reference fails when one exists, and leaves it alone")
    func nilOldOnExistingReference() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        let second = try scratch.repository.makeCommit(parents: [first], message: "two\n")
        try scratch.repository.updateReference(Self.branch, to: first, expecting: nil, message: "create")
        #expect {
            try scratch.repository.updateReference(Self.branch, to: second, expecting: nil, message: "again")
        } throws: { error in
            (error as? GitError)?.code == .exists
        }
        #expect(try scratch.repository.resolveReference(Self.branch) == first)
    }

    @Test("expecting an old value for a reference that does not exist fails with modified and creates nothing")
    func oldValueOnMissingReference() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        #expect {
            try scratch.repository.updateReference("refs/heads/other", to: first, expecting: first, message: "x")
        } throws: { error in
            (error as? GitError)?.code == .modified
        }
        #expect(try scratch.repository.resolveReference("refs/heads/other") == nil)
    }

    @Test("an invalid reference name is refused")
    func invalidName() throws {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(message: "one\n")
        #expect(throws: GitError.self) {
            try scratch.repository.updateReference("refs/heads/bad..name", to: first, expecting: nil, message: "x")
        }
    }
}
