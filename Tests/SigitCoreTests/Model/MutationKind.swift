/// The kinds of history the generator can write beyond plain sequential workflow. `legitimate` kinds are history a
/// correct ledger must count; the others are attacks (spec 2, 4) or shapes whose join rule the ledger rewrite changes.
enum MutationKind: String, CaseIterable, Sendable {
    /// Approvals of the first step (a role slot) on parallel clones.
    case parallelSlot = "parallel-slot"
    /// Drafts, sends, declines and voids on parallel clones (parallel rounds).
    case parallelRounds = "parallel-rounds"
    /// A decline or void on main while clones of the same round are still approving (joined later).
    case parallelTerminal = "parallel-terminal"
    /// A byte-copy of a signed commit with its armor re-encoded, merged in.
    case armorCopy = "armor-copy"
    /// A signed commit of bob signed again with bob's second key (canonical armor, new commit id, same event),
    /// merged in: a replay.
    case replay
    /// An orphan branch adding files to an agreement, merged with --allow-unrelated-histories.
    case orphanMerge = "orphan-merge"
    /// An unsigned commit editing an agreement.
    case unsignedEdit = "unsigned-edit"
    /// A merge whose tree differs from the clean three-way merge under agreements/.
    case mergedEdit = "merged-edit"
    /// A signed edit of a completed or voided agreement.
    case terminalEdit = "terminal-edit"
    /// An approval made in a round another clone replaced (decline, send again at the same digest), merged in.
    case staleRound = "stale-round"
    /// A symlink (120000) under agreements/<id>/.
    case symlink
    /// A gitlink (160000) under agreements/<id>/.
    case gitlink
    /// A tree nested 40 levels under agreements/<id>/.
    case deepTree = "deep-tree"
    /// Trailers after a scissors line, a `---` line, or a continued trailer.
    case trailerTrick = "trailer-trick"
    /// A void by the agreement's creator who is neither its sender nor holds `void`.
    case voidByCreator = "void-by-creator"

    /// Kinds the ledger on this branch is known to judge differently from the model; excluded from the default run
    /// (SIGIT_MODEL_KINDS=all, or a comma list, runs them). Each has a seed in the report that shows the difference.
    static let knownGaps: Set<MutationKind> = []
}
