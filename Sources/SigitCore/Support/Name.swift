/// Validation of the names the format allows (agreement ids, identities, roles, steps): spec section 1.
public enum Name {
    /// Whether `name` matches `^[a-z0-9][a-z0-9._-]{0,63}$` and contains no `..`.
    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard (1...64).contains(bytes.count) else { return false }
        var previous: UInt8 = 0
        for (index, byte) in bytes.enumerated() {
            let alnum = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if index == 0 ? !alnum : !(alnum || byte == 0x2E || byte == 0x5F || byte == 0x2D) { return false }
            if byte == 0x2E && previous == 0x2E { return false }  // ".."
            previous = byte
        }
        return true
    }

    /// Throws a clear error naming `what` when `name` is not a valid name.
    public static func check(_ name: String, _ what: String) throws {
        guard isValid(name) else {
            throw SigitError.badInput("invalid \(what) \(quoted(name)): names use a-z, 0-9, '.', '_', '-', start with a letter or digit, are at most 64 characters and never contain '..'")
        }
    }

    /// Throws unless `branch` is a plain branch name (letters, digits, `._/-`, no `..`, not starting with `-` or `/`).
    public static func checkBranch(_ branch: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-")
        guard !branch.isEmpty, branch.count <= 200, branch.allSatisfy(allowed.contains), !branch.contains(".."),
              !branch.hasPrefix("-"), !branch.hasPrefix("/"), !branch.hasSuffix("/"), !branch.hasSuffix(".lock") else {
            throw SigitError.badInput("invalid branch name \(quoted(branch))")
        }
    }

    /// `text` in double quotes with control characters escaped, for error messages.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars.prefix(200) {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
