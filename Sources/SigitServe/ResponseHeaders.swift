import HTTPTypes
import Hummingbird

/// The headers every response of the signing server carries, and the names it reads.
enum ResponseHeaders {
    /// The policy of every page and answer: nothing but the server's own script, style and frames, no forms, no
    /// framing by others, no `<base>`.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    /// The same for a PDF, which the signing page frames.
    static let pdfContentSecurityPolicy = contentSecurityPolicy.replacingOccurrences(of: "frame-ancestors 'none'", with: "frame-ancestors 'self'")

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    static let crossOriginResourcePolicy = HTTPField.Name("Cross-Origin-Resource-Policy")!

    /// The security headers, with `contentType`; `framedByPage` for a PDF the page shows in an `<iframe>`.
    static func fields(contentType: String, framedByPage: Bool = false) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentSecurityPolicy] = framedByPage ? pdfContentSecurityPolicy : contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[referrerPolicy] = "no-referrer"
        fields[.cacheControl] = "no-store"
        fields[crossOriginOpenerPolicy] = "same-origin"
        fields[crossOriginResourcePolicy] = "same-origin"
        return fields
    }
}
