/// Counted nouns in messages: "1 commit", "2 commits".
public enum Plural {
    /// `n` and the noun, plural unless `n` is 1 (`plural` for nouns that do not just add an s).
    public static func count(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }
}
