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
    // Spec section 9 (drawn only in histories with invitations, so the other seeds write what they always wrote).
    /// An enrollment whose proof is not the invitation's for its parent and passkey: another secret, or the right
    /// secret's proof made for another passkey or parent (a copied proof).
    case enrollWrongSecret = "enroll-wrong-secret"
    /// An enrollment whose committer time is after the invitation's `expires`.
    case enrollExpired = "enroll-expired"
    /// A second enrollment of an invitation already used.
    case enrollTwice = "enroll-twice"
    /// An enrollment signed by a key that is not a P-256 passkey (an Ed25519 key of the policy, an sk-ed25519 key) or unsigned.
    case enrollNonPasskey = "enroll-non-passkey"
    /// An enrollment whose policy differs from the policy in force by more than the three differences (or another file).
    case enrollExtra = "enroll-extra"
    /// An enrollment whose passkey signature lacks the user-presence flag.
    case enrollNoPresence = "enroll-no-presence"
    /// An enrollment that is a merge commit.
    case enrollMerge = "enroll-merge"
    /// Two enrollments of one invitation on two branches, then merged.
    case enrollParallel = "enroll-parallel"
    /// An event of the invitee outside its invitation: another agreement or step, a void, notify, draft, send,
    /// delegate or policy change.
    case inviteeScope = "invitee-scope"
    /// An admin's invite event that writes no unused invitation of its invitee for its agreement (for another
    /// agreement, already enrolled, or none).
    case inviteMalformed = "invite-malformed"
    /// Such an invite that also revises an agreement in the same commit (FORMAT.md: it counts nothing, the revision
    /// included; the ledger once counted the revision, found by this kind).
    case inviteMalformedDraft = "invite-malformed-draft"

    // Spec section 8 (drawn only in histories with timestamps, so the other seeds write what they always wrote).
    /// A timestamp event whose token comes from a TSA under a CA the policy does not list.
    case tokenUnlisted = "token-unlisted"
    /// A token named after one event whose imprint is another commit's object.
    case tokenOtherCommit = "token-other-commit"
    /// A token cut in half.
    case tokenTruncated = "token-truncated"
    /// An identity without `timestamp` stamps an event someone else signed.
    case stampOthers = "stamp-others"
    /// A token file added by a draft, a plain signed commit or a notify, not by a timestamp event.
    case tokenSmuggled = "token-smuggled"
    /// A second token for a stamped event: the file rewritten, or one token on each of two branches, merged.
    case tokenTwice = "token-twice"
    /// A thief with bob's key approves on a fork with a committer time before the compromise, stamps it (a genuine
    /// token, after the compromise time); the fork is merged before or after bob's key is revoked as compromised.
    case forgedFork = "forged-fork"
    /// A token for an event of bob made on a branch before the compromise time, merged after the revocation came
    /// into force (or, the control, before).
    case lateToken = "late-token"

    /// The kinds that need an invitation in the history (section 9).
    static let invitationKinds: Set<MutationKind> = [.enrollWrongSecret, .enrollExpired, .enrollTwice, .enrollNonPasskey, .enrollExtra,
                                                     .enrollNoPresence, .enrollMerge, .enrollParallel, .inviteeScope,
                                                     .inviteMalformed, .inviteMalformedDraft]

    /// The kinds that need trusted time in the history (section 8).
    static let timestampKinds: Set<MutationKind> = [.tokenUnlisted, .tokenOtherCommit, .tokenTruncated, .stampOthers, .tokenSmuggled, .tokenTwice,
                                                    .forgedFork, .lateToken]

    /// Kinds the ledger on this branch is known to judge differently from the model; excluded from the default run
    /// (SIGIT_MODEL_KINDS=all, or a comma list, runs them). Each has a seed in the report that shows the difference.
    static let knownGaps: Set<MutationKind> = []
}
