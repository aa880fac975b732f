import Crypto
import Foundation

/// The anti-forgery token of one invitation's page: HMAC-SHA256 under a key made at start (never stored) over the
/// secret's SHA-256. The page carries it in a `<meta>`; every POST sends it back as `X-CSRF-Token`.
struct CSRFToken: Sendable {
    private let key: SymmetricKey

    /// A token maker with a fresh random key (tokens of an earlier run stop working).
    init() {
        key = SymmetricKey(size: .bits256)
    }

    /// The token for the invitation whose secret hashes to `secretSHA256` (lowercase hex).
    func token(secretSHA256: String) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(secretSHA256.utf8), using: key)))
    }

    /// Whether `presented` is the token for `secretSHA256`, compared in constant time.
    func isValid(_ presented: String?, secretSHA256: String) -> Bool {
        guard let presented else { return false }
        let expected = Array(token(secretSHA256: secretSHA256).utf8)
        let given = Array(presented.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }
}
