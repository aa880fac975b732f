import Foundation

extension EvidencePackage {
    /// The files beside `history.git`, by name.
    func files() throws -> [(String, Data)] {
        [
            (Self.allowedSignersFile, Data(allowedSigners.utf8)),
            (Self.htmlFile, try CertificateFormat.html.render(certificate)),
            (Self.jsonFile, try CertificateFormat.json.render(certificate)),
            (Self.guideFile, Data(VerifyGuide.render(self).utf8)),
        ]
    }
}
