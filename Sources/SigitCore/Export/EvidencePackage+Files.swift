import Foundation

extension EvidencePackage {
    /// The files beside `history.git`, by name (a name with a `/` is in a folder: the tokens and the authorities).
    func files() throws -> [(String, Data)] {
        [
            (Self.allowedSignersFile, Data(allowedSigners.utf8)),
            (Self.htmlFile, try CertificateFormat.html.render(certificate)),
            (Self.jsonFile, try CertificateFormat.json.render(certificate)),
            (Self.guideFile, Data(VerifyGuide.render(self).utf8)),
        ] + stamps.map { ($0.file, $0.token) } + authorities.map { ($0.file, Data($0.pem.utf8)) }
    }
}
