/// The result of merging two commits' trees without touching any working tree or reference.
public enum MergeOutcome: Sendable, Equatable {
    /// The merge applied cleanly; `tree` is the merged root tree, already stored in the repository.
    case clean(tree: ObjectID)
    /// The merge stopped on conflicts; the paths involved, sorted, each listed once.
    case conflicts([String])
}
