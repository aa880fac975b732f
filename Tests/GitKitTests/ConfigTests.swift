import Foundation
import Testing
@testable import GitKit

@Suite("Git configuration")
struct ConfigTests {
    @Test("a local value set through GitKit is read back and seen by stock git")
    func setAndRead() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        #expect(try repository.configString("sigit-test.key") == nil)
        try repository.setLocalConfig("sigit-test.key", "key::ssh-ed25519 AAAA with spaces")
        #expect(try repository.configString("sigit-test.key") == "key::ssh-ed25519 AAAA with spaces")
        #expect(try scratch.gitSucceeds("config", "--local", "sigit-test.key").line == "key::ssh-ed25519 AAAA with spaces")
        try repository.setLocalConfig("sigit-test.key", "second")
        #expect(try repository.configString("sigit-test.key") == "second")
    }

    @Test("a value written by stock git after opening is read")
    func seesStockGitChanges() throws {
        let scratch = try ScratchRepository()
        try scratch.gitSucceeds("config", "user.signingkey", "/keys/alice")
        #expect(try scratch.repository.configString("user.signingkey") == "/keys/alice")
        #expect(try Repository.open(scratch.path).configString("user.signingkey") == "/keys/alice")
    }

    @Test("an invalid key name is an error, not a missing value")
    func invalidKey() throws {
        let scratch = try ScratchRepository()
        #expect(throws: GitError.self) { try scratch.repository.configString("no-section") }
        #expect(throws: GitError.self) { try scratch.repository.setLocalConfig("no-section", "x") }
    }
}
