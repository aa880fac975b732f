internal import CLibgit2

/// Process-wide durability of libgit2 writes.
public enum Durability {
    /// Turns fsync of objects, packs and references on (the default) or off. Off only for bulk writers that can
    /// rebuild whatever a power loss would lose, such as the benchmark generator.
    public static func setFsync(_ enabled: Bool) {
        Libgit2Runtime.ensure()
        _ = sigit_enable_fsync_gitdir(enabled ? 1 : 0)
    }
}
