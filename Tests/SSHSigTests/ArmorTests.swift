import Foundation
import Testing
@testable import SSHSig

@Suite("Armor")
struct ArmorTests {
    static func sample() throws -> SSHSignature {
        try SSHSignature.sign(Data("m".utf8), with: SSHPrivateKey(ed25519Seed: Data(repeating: 1, count: 32)))
    }

    @Test("armor round-trips: 70-column lines, header, footer and a final newline")
    func roundTrip() throws {
        let signature = try Self.sample()
        let armored = signature.armored
        #expect(armored.hasPrefix("-----BEGIN SSH SIGNATURE-----\n"))
        #expect(armored.hasSuffix("\n-----END SSH SIGNATURE-----\n"))
        let body = armored.split(separator: "\n").dropFirst().dropLast()
        #expect(body.dropLast().allSatisfy { $0.count == 70 })
        #expect((body.last?.count ?? 0) <= 70)
        let parsed = try SSHSignature(armored: armored)
        #expect(parsed.blob == signature.blob)
        #expect(parsed.armored == armored)
        #expect(parsed.verify(Data("m".utf8)))
    }

    @Test("CRLF line ends, indentation and surrounding whitespace are tolerated")
    func lenientReading() throws {
        let armored = try Self.sample().armored
        let variants = [
            armored.replacingOccurrences(of: "\n", with: "\r\n"),
            "\n\n  " + armored + "  \n\n",
            armored.split(separator: "\n").map { " " + $0 }.joined(separator: "\n"),
            String(armored.dropLast()),
        ]
        for variant in variants {
            #expect(try SSHSignature(armored: variant).verify(Data("m".utf8)))
        }
    }

    @Test("bad armor and bad base64 are rejected", arguments: [
        "", "-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n",
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH*AAAA\n-----END SSH SIGNATURE-----\n",
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHA\n-----END SSH SIGNATURE-----\n",
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n",
        "-----BEGIN PGP SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END PGP SIGNATURE-----\n",
        "garbage\n-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n",
    ])
    func rejectsBadArmor(text: String) {
        #expect(throws: SSHSigError.self) { try SSHSignature(armored: text) }
    }
}
