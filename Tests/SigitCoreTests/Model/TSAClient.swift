import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import TrustedTime

/// Asks the loopback TSA of the test process (`TSAFixture.shared`: `openssl ts -reply` behind tsa_server.py, its
/// clock set through libfaketime) for real RFC 3161 tokens, synchronously, as the history writer needs them: the
/// request goes over HTTP and the caller waits on a semaphore for URLSession's answer (delivered on its own queue).
enum TSAClient {
    /// The DER token (`TimeStampToken.der`) of `profile`'s TSA over the SHA-256 of `data`, its genTime `at`.
    static func token(over data: Data, by profile: TSAProfile, at: Date) throws -> Data {
        let fixture = try TSAFixture.shared.get()
        let request = TimeStampRequest(imprint: Data(SHA256.hash(data: data)), nonce: nil, certReq: true)
        guard let address = URL(string: fixture.url(profile, at: at)) else { throw ToolFailure(description: "bad TSA URL") }
        var http = URLRequest(url: address, timeoutInterval: 30)
        http.httpMethod = "POST"
        http.setValue("application/timestamp-query", forHTTPHeaderField: "Content-Type")
        http.httpBody = request.der
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: http) { body, response, error in
            answer.set(body: body, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 60) == .success else { throw ToolFailure(description: "the TSA did not answer in 60 s") }
        let (body, status, error) = answer.get()
        guard let body, status == 200 else {
            throw ToolFailure(description: "the TSA answered \(status.map(String.init) ?? "nothing")\(error.map { ": \($0)" } ?? ""): \(fixture.server.stderr)")
        }
        return try TimeStampResponse(der: body).grantedToken().der
    }

    /// What URLSession delivered, handed from its queue to the waiting caller under a lock.
    private final class Answer: @unchecked Sendable {
        private let lock = NSLock()
        private var body: Data?
        private var status: Int?
        private var error: (any Error)?

        func set(body: Data?, status: Int?, error: (any Error)?) {
            lock.lock()
            defer { lock.unlock() }
            (self.body, self.status, self.error) = (body, status, error)
        }

        func get() -> (Data?, Int?, (any Error)?) {
            lock.lock()
            defer { lock.unlock() }
            return (body, status, error)
        }
    }
}
