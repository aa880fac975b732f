/// The version `sigit --version` prints.
enum SigitVersion {
    static let current = "0.1.0 (format 1)"
}
