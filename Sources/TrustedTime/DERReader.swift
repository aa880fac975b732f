import SwiftASN1

/// Small helpers over swift-asn1's node iterator for the optional fields RFC 3161 and CMS use.
enum DERReader {
    /// The next node when it carries `identifier`, consumed; otherwise nil and nothing consumed.
    static func next(_ nodes: inout ASN1NodeCollection.Iterator, if identifier: ASN1Identifier) -> ASN1Node? {
        var copy = nodes
        guard let node = copy.next(), node.identifier == identifier else { return nil }
        nodes = copy
        return node
    }

    /// The next node, which must exist; `what` names it in the error.
    static func required(_ nodes: inout ASN1NodeCollection.Iterator, _ what: String) throws -> ASN1Node {
        guard let node = nodes.next() else { throw TrustedTimeError.malformed("\(what) is missing") }
        return node
    }

    /// The children of a constructed node with `identifier`.
    static func children(_ node: ASN1Node, identifier: ASN1Identifier, _ what: String) throws -> ASN1NodeCollection {
        guard node.identifier == identifier, case .constructed(let children) = node.content else {
            throw TrustedTimeError.malformed("\(what) has the wrong type")
        }
        return children
    }

    /// An INTEGER's magnitude, big-endian without leading zeros (serial numbers and nonces).
    static func unsignedInteger(_ node: ASN1Node, _ what: String) throws -> [UInt8] {
        guard node.identifier == .integer, case .primitive(let bytes) = node.content, let first = bytes.first else {
            throw TrustedTimeError.malformed("\(what) is not an integer")
        }
        if bytes.count > 1, first == 0 || first == 0xFF, (bytes[bytes.startIndex + 1] & 0x80 == 0) == (first == 0) {
            throw TrustedTimeError.malformed("\(what) is not minimally encoded (not DER)")
        }
        guard first & 0x80 == 0 else { throw TrustedTimeError.malformed("\(what) is negative") }
        return trimmed(bytes)
    }

    /// `bytes` without leading zero bytes.
    static func trimmed<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        Array(bytes.drop(while: { $0 == 0 }))
    }

    /// Runs a parse step, turning swift-asn1's and swift-certificates' errors into `malformed(what)`.
    static func parsing<T>(_ what: String, _ body: () throws -> T) throws(TrustedTimeError) -> T {
        do {
            return try body()
        } catch let error as TrustedTimeError {
            throw error
        } catch let error as ASN1Error {
            throw .malformed("\(what) is not valid DER (\(error.code))")
        } catch {
            throw .malformed("\(what) cannot be read")
        }
    }
}
