import Crypto
import Foundation

/// The crypto floor: how many ed25519 signatures one core verifies per second with swift-crypto, the library sigit
/// verifies with. A verify that does nothing but check one signature per commit cannot beat commits ÷ (this × cores).
enum CryptoFloor {
    static func verificationsPerSecond() -> Double {
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = key.publicKey
        // A message the size of a typical commit buffer, signed once; verified over and over.
        let message = Data(repeating: 0x61, count: 400)
        guard let signature = try? key.signature(for: message) else { return 0 }
        var count = 0
        var valid = 0
        let start = Date()
        while Date().timeIntervalSince(start) < 1.0 {
            for _ in 0..<200 where publicKey.isValidSignature(signature, for: message) { valid += 1 }
            count += 200
        }
        return valid == count ? Double(count) / Date().timeIntervalSince(start) : 0
    }
}
