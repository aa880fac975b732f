import Foundation
import Testing
@testable import GitKit

@Suite("History walks and ancestry")
struct WalkTests {
    /// True when every parent listed in `order` comes before each of its children.
    static func parentsFirst(_ order: [ObjectID], in repository: Repository) throws -> Bool {
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for (index, id) in order.enumerated() {
            for parent in try repository.commit(id).parents {
                if let parentIndex = position[parent], parentIndex > index { return false }
            }
        }
        return true
    }

    @Test("a walk lists each reachable commit once, parents before children, across a merge")
    func parentsBeforeChildren() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let order = try scratch.repository.walk(from: [history.m])
        #expect(order.count == 5)
        #expect(Set(order) == history.all)
        #expect(order.first == history.a)
        #expect(order.last == history.m)
        #expect(try Self.parentsFirst(order, in: scratch.repository))
    }

    @Test("without reverse the walk lists children before parents")
    func childrenFirst() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let order = try scratch.repository.walk(from: [history.m], reverse: false)
        #expect(Set(order) == history.all)
        #expect(order.first == history.m)
        #expect(order.last == history.a)
        #expect(try Self.parentsFirst(order.reversed(), in: scratch.repository))
    }

    @Test("the order agrees with git rev-list --topo-order --reverse on the same graph")
    func agreesWithGitOnTopology() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let stock = try scratch.gitSucceeds("rev-list", "--topo-order", "--reverse", history.m.hex)
            .text.split(separator: "\n").compactMap { ObjectID(hex: String($0)) }
        #expect(Set(stock) == history.all)
        #expect(try Self.parentsFirst(stock, in: scratch.repository))
        #expect(try Self.parentsFirst(scratch.repository.walk(from: [history.m]), in: scratch.repository))
    }

    @Test("hidden commits and their ancestors are left out", arguments: [
        ("C", ["D", "M"]), ("D", ["B", "C", "M"]), ("A", ["B", "C", "D", "M"]), ("M", []),
    ])
    func hiding(hidden: String, expected: [String]) throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let names = ["A": history.a, "B": history.b, "C": history.c, "D": history.d, "M": history.m]
        let hide = try #require(names[hidden])
        let order = try scratch.repository.walk(from: [history.m], hiding: [hide])
        #expect(Set(order) == Set(expected.compactMap { names[$0] }))
        #expect(order.count == expected.count)
        #expect(try Self.parentsFirst(order, in: scratch.repository))
    }

    @Test("several tips are walked together, each commit once")
    func severalTips() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let order = try scratch.repository.walk(from: [history.c, history.d])
        #expect(order.count == 4)
        #expect(Set(order) == [history.a, history.b, history.c, history.d])
        #expect(try scratch.repository.walk(from: []).isEmpty)
    }

    @Test("walking from a missing commit throws")
    func missingTip() throws {
        let scratch = try ScratchRepository()
        let missing = try #require(ObjectID(hex: String(repeating: "12", count: 20)))
        #expect(throws: GitError.self) { try scratch.repository.walk(from: [missing]) }
    }

    @Test("the merge base is the best common ancestor, and nil for unrelated histories")
    func mergeBase() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let repository = scratch.repository
        #expect(try repository.mergeBase(history.c, history.d) == history.a)
        #expect(try repository.mergeBase(history.b, history.m) == history.b)
        #expect(try repository.mergeBase(history.m, history.m) == history.m)
        #expect(try scratch.gitSucceeds("merge-base", history.c.hex, history.d.hex).line == history.a.hex)
        let unrelated = try repository.makeCommit(["z": "z\n"], message: "other root\n")
        #expect(try repository.mergeBase(unrelated, history.m) == nil)
    }

    @Test("isDescendant follows every parent and is false for the commit itself")
    func descendants() throws {
        let scratch = try ScratchRepository()
        let history = try MergeHistory(in: scratch.repository)
        let repository = scratch.repository
        #expect(try repository.isDescendant(history.m, of: history.a))
        #expect(try repository.isDescendant(history.m, of: history.d))
        #expect(try repository.isDescendant(history.c, of: history.b))
        #expect(try !repository.isDescendant(history.a, of: history.m))
        #expect(try !repository.isDescendant(history.c, of: history.d))
        #expect(try !repository.isDescendant(history.c, of: history.c))
    }
}
