import Foundation
import Hummingbird
import SigitCore

/// A refusal of the signing server: an HTTP status and one line for the person at the browser.
struct ServeError: Error, Sendable {
    /// The status it is answered with.
    let status: HTTPResponse.Status
    /// The line shown (never containing the invitation secret).
    let message: String

    /// The unknown or malformed invitation (one answer for both).
    static let notFound = ServeError(status: .notFound, message: "there is no such invitation")
}

extension ServeError {
    /// One line for any error a repository job threw (SigitError's sentence, else the error's description).
    static func line(for error: Error) -> String {
        switch error {
        case let error as ServeError: return error.message
        case let error as SigitError: return error.description
        default: return String(describing: error)
        }
    }
}
