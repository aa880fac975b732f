import Foundation

/// A clock set to another time for one process and its children: libfaketime (Debian's `faketime` package, which
/// `make deps` installs) preloaded with `FAKETIME`. The tests run the real `sigit`, `git`, `ssh-keygen` and `openssl`
/// under it to make histories that span months (spec section 8's stolen-key story) and TSA certificates valid in
/// the past.
public enum FakeClock {
    /// The preloadable library, or nil when faketime is not installed.
    public static let library: String? = {
        let candidates = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                          "/usr/lib/faketime/libfaketime.so.1", "/usr/local/lib/faketime/libfaketime.so.1"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    /// The environment that starts the clock of a process at `date` (it then runs at normal speed).
    public static func environment(at date: Date) throws -> [String: String] {
        guard let library else { throw ToolFailure(description: "faketime is not installed (libfaketime.so.1 not found); run make deps") }
        return ["LD_PRELOAD": library, "FAKETIME": "@" + text(date), "FAKETIME_DONT_FAKE_MONOTONIC": "1"]
    }

    /// The command prefix that starts a Swift binary under `environment(at:)`: a shell that execs it. When the Swift
    /// runtime of this toolchain is the first program of a process to load libfaketime, it sees no command-line
    /// arguments; exec'd by a program that already loaded it (a shell, `timeout`), it does. C tools such as git,
    /// ssh-keygen and openssl run fine either way. (The `faketime` wrapper works too, but leaves shared-memory
    /// segments behind in /dev/shm.)
    public static let execPrefix = ["/bin/sh", "-c", "exec \"$@\"", "sh"]

    /// `YYYY-MM-DD hh:mm:ss` in UTC, as FAKETIME reads it.
    public static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
