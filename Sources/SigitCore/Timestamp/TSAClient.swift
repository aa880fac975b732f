import Crypto
import Delivery
import Foundation
import TrustedTime
import X509

/// Asks one time-stamping authority for a token over a commit object (RFC 3161 over HTTP, section 3.4): a request with
/// the object's SHA-256, a random 64-bit nonce and certReq set, POSTed as `application/timestamp-query`; the answer
/// must be HTTP 200 `application/timestamp-reply`, granted, and its token must verify against `trustedRoots` (the
/// authorities of the policy in force) with that imprint and nonce.
public struct TSAClient: Sendable {
    /// The most bytes an answer may have (a token with its certificate chain is a few kilobytes).
    public static let maxResponseBytes = 256 * 1024
    /// The time limit of one exchange unless the caller sets one.
    public static let defaultTimeout: TimeInterval = 30

    /// The TSA's http(s) URL.
    public let url: String
    /// The certificates a token must chain to.
    public let trustedRoots: [X509.Certificate]
    /// The time limit of one exchange, in seconds.
    public let timeout: TimeInterval
    /// A PEM file of CA certificates for an https TSA (nil: the system's).
    public let caFile: String?

    /// A client; `url` is checked when asked (`check` checks it up front).
    public init(url: String, trustedRoots: [X509.Certificate], timeout: TimeInterval = TSAClient.defaultTimeout, caFile: String? = nil) {
        self.url = url
        self.trustedRoots = trustedRoots
        self.timeout = timeout
        self.caFile = caFile
    }

    /// Refuses a URL that is not usable (not http or https, credentials, spaces), as one sentence naming it.
    public static func check(url: String) throws(TSAFailure) {
        do {
            _ = try HTTPPost(url: url, contentType: "application/timestamp-query")
        } catch {
            throw TSAFailure(url: url, reason: error.reason)
        }
    }

    /// A token over `object` (the bytes of a commit object) and what it proves; throws one sentence naming the TSA.
    public func stamp(_ object: Data) throws(TSAFailure) -> (token: TimeStampToken, verified: VerifiedTime) {
        let imprint = Data(SHA256.hash(data: object))
        let nonce = UInt64.random(in: UInt64.min...UInt64.max)
        let request = TimeStampRequest(imprint: imprint, nonce: nonce, certReq: true)
        let answer: HTTPPost.Response
        do {
            let post = try HTTPPost(url: url, contentType: "application/timestamp-query", accept: "application/timestamp-reply",
                                    timeout: timeout, maxResponseBytes: Self.maxResponseBytes, caFile: caFile, userAgent: "sigit-timestamp")
            answer = try post.send(request.der)
        } catch {
            throw TSAFailure(url: url, reason: error.reason)
        }
        guard answer.status == 200 else {
            // A text body (an error page) is quoted, flattened to one line; other bytes are not.
            let text = String(data: answer.body.prefix(200), encoding: .utf8)?
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") ?? ""
            throw TSAFailure(url: url, reason: "answered HTTP \(answer.status)" + (text.isEmpty ? "" : ": \(text)"))
        }
        guard answer.contentType == "application/timestamp-reply" else {
            throw TSAFailure(url: url, reason: "answered \(answer.contentType.map { "Content-Type \($0)" } ?? "without a Content-Type"), not application/timestamp-reply")
        }
        let response: TimeStampResponse
        do {
            response = try TimeStampResponse(der: answer.body)
        } catch {
            throw TSAFailure(url: url, reason: "answered \(answer.body.count) bytes that are not an RFC 3161 time-stamp response (\(error))")
        }
        let token: TimeStampToken
        do {
            token = try response.grantedToken()
        } catch {
            if case .requestRejected(let status) = error { throw TSAFailure(url: url, reason: "refused the request: \(status)") }
            throw TSAFailure(url: url, reason: "answered without a token (\(error))")
        }
        do {
            return (token, try token.verify(imprint: imprint, trustedRoots: trustedRoots, nonce: nonce))
        } catch {
            throw TSAFailure(url: url, reason: "gave a token that does not count: \(error)")
        }
    }
}

