import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One open Unix-socket connection to ssh-agent; the socket is closed in `deinit`.
///
/// Not `Sendable`: a connection is opened, used for one exchange and dropped by one caller.
final class SSHAgentConnection {
    /// Message numbers from the agent protocol (draft-miller-ssh-agent).
    enum Message {
        static let failure: UInt8 = 5
        static let requestIdentities: UInt8 = 11
        static let identitiesAnswer: UInt8 = 12
        static let signRequest: UInt8 = 13
        static let signResponse: UInt8 = 14
    }

    /// The largest reply accepted, as in OpenSSH (`AGENT_MAX_LEN`).
    static let maximumMessageLength = 256 * 1024

    private let descriptor: Int32

    /// Connects to the agent listening on `socketPath`.
    init(socketPath: String) throws(SSHSigError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity, !pathBytes.contains(0) else {
            throw .agent("the socket path \(socketPath) is empty or too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
            raw[pathBytes.count] = 0
        }
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else {
            throw .agent("cannot create a socket (\(String(cString: strerror(errno))))")
        }
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .agent("cannot connect to \(socketPath) (\(reason))")
        }
        self.descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Sends one request (type byte and body) and returns the reply's type byte and body.
    func exchange(type: UInt8, body: [UInt8]) throws(SSHSigError) -> (type: UInt8, body: [UInt8]) {
        var framed = SSHWireWriter()
        framed.writeUInt32(UInt32(body.count + 1))
        framed.writeByte(type)
        framed.writeRaw(body)
        try writeAll(framed.bytes)
        let header = try readExactly(4)
        let length = header.reduce(0) { ($0 << 8) | Int($1) }
        guard length >= 1, length <= Self.maximumMessageLength else {
            throw .agent("the agent sent a reply of invalid length \(length)")
        }
        let reply = try readExactly(length)
        return (reply[0], Array(reply.dropFirst()))
    }

    private func writeAll(_ bytes: [UInt8]) throws(SSHSigError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { raw -> Int in
                #if canImport(Darwin)
                return send(descriptor, raw.baseAddress, raw.count, 0)
                #else
                return send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                #endif
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .agent("cannot write to the agent (\(String(cString: strerror(errno))))")
            }
            sent += count
        }
    }

    private func readExactly(_ count: Int) throws(SSHSigError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let got = buffer[received...].withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress, raw.count, 0)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .agent("cannot read from the agent (\(String(cString: strerror(errno))))")
            }
            if got == 0 {
                throw .agent("the agent closed the connection")
            }
            received += got
        }
        return buffer
    }
}
