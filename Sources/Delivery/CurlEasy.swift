internal import CCurl
import Foundation

/// A libcurl easy handle with what one transfer needs: options, an upload buffer, a capped response
/// buffer and the server's reply lines. Not `Sendable`: each delivery creates, uses and frees its own.
final class CurlEasy {
    /// Why a libcurl call failed: its code, message, and the last protocol response code.
    struct Failure: Error {
        let code: Int
        let message: String
        let responseCode: Int
        let serverLine: String?
    }

    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// The buffers the C callbacks read and write; reached through an unretained pointer that `self` keeps valid.
    let state = TransferState()

    /// A fresh handle with no signals, an error buffer, and the callbacks installed; nil when libcurl cannot make one.
    init?() {
        _ = CurlGlobal.initialized
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(state).toOpaque()
        _ = sigit_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = sigit_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sigit_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlRead)
        _ = sigit_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
        _ = sigit_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        _ = sigit_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        // The debug callback sees only what the server sends (HEADER_IN) and keeps its last lines for
        // error messages; with it installed, VERBOSE prints nothing. What we send (AUTH) is never kept.
        _ = sigit_curl_setopt_debug_callback(handle, curlDebug)
        _ = sigit_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
        _ = sigit_curl_setopt_long(handle, CURLOPT_VERBOSE, 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// Sets a numeric option.
    func set(_ option: CURLoption, _ value: Int) throws(Failure) {
        try check(sigit_curl_setopt_long(handle, option, value), option)
    }

    /// Sets a string option (libcurl copies it).
    func set(_ option: CURLoption, _ value: String) throws(Failure) {
        try check(sigit_curl_setopt_string(handle, option, value), option)
    }

    /// Sets a list option (headers, recipients); the list lives as long as the handle.
    func set(_ option: CURLoption, list values: [String]) throws(Failure) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let appended = curl_slist_append(list, value) else {
                if let list { curl_slist_free_all(list) }
                throw Failure(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "out of memory", responseCode: 0, serverLine: nil)
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try check(sigit_curl_setopt_slist(handle, option, list), option)
    }

    /// Sets the request body of a POST (libcurl copies the bytes).
    func setPostBody(_ bytes: [UInt8]) throws(Failure) {
        try set(CURLOPT_POSTFIELDSIZE, bytes.count)
        let code = bytes.withUnsafeBytes { buffer in
            sigit_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
        }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    /// Runs the transfer; throws with libcurl's message and the server's last reply on failure.
    func perform() throws(Failure) {
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        guard code != CURLE_OK else { return }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        throw Failure(code: Int(code.rawValue), message: message, responseCode: responseCode, serverLine: state.serverLines.last)
    }

    /// The `Content-Type` of the last HTTP response, nil when it had none.
    var contentType: String? {
        var value: UnsafeMutablePointer<CChar>?
        guard sigit_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// The last response code: the HTTP status, or the last SMTP reply code.
    var responseCode: Int {
        var code = 0
        _ = sigit_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(Failure) {
        guard code != CURLE_OK else { return }
        throw Failure(
            code: Int(code.rawValue),
            message: "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))",
            responseCode: 0, serverLine: nil
        )
    }
}

/// libcurl's one-time process setup, run before the first handle (a Swift global is initialized once, thread-safely).
enum CurlGlobal {
    static let initialized: CURLcode = sigit_curl_global_init()
}

/// libcurl numeric codes used by the channels, named once here.
enum CurlCode {
    static let couldntResolveHost = Int(CURLE_COULDNT_RESOLVE_HOST.rawValue)
    static let couldntConnect = Int(CURLE_COULDNT_CONNECT.rawValue)
    static let timedOut = Int(CURLE_OPERATION_TIMEDOUT.rawValue)
    static let loginDenied = Int(CURLE_LOGIN_DENIED.rawValue)
    static let useSSLFailed = Int(CURLE_USE_SSL_FAILED.rawValue)
    static let peerFailedVerification = Int(CURLE_PEER_FAILED_VERIFICATION.rawValue)
    static let sslConnectError = Int(CURLE_SSL_CONNECT_ERROR.rawValue)
    static let sslCACertBadFile = Int(CURLE_SSL_CACERT_BADFILE.rawValue)
    static let unsupportedProtocol = Int(CURLE_UNSUPPORTED_PROTOCOL.rawValue)
    static let urlMalformat = Int(CURLE_URL_MALFORMAT.rawValue)
    static let writeError = Int(CURLE_WRITE_ERROR.rawValue)
}

/// What the callbacks of one transfer share with Swift: the bytes to upload, the response, the server's lines.
final class TransferState {
    var upload: [UInt8] = []
    var uploadOffset = 0
    var response: [UInt8] = []
    var responseLimit = 4096
    /// Whether a response longer than `responseLimit` stops the transfer (libcurl then fails with a write error)
    /// instead of being cut silently.
    var abortsWhenFull = false
    /// Set when the response went past `responseLimit`.
    var overflowed = false
    var serverLines: [String] = []
}

private let curlRead: sigit_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let room = size * count
    let remaining = state.upload.count - state.uploadOffset
    let length = min(room, remaining)
    guard length > 0 else { return 0 }
    state.upload.withUnsafeBytes { source in
        guard let base = source.baseAddress else { return }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + state.uploadOffset, byteCount: length)
    }
    state.uploadOffset += length
    return length
}

private let curlWrite: sigit_curl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let buffer, let context else { return length }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let keep = min(length, max(0, state.responseLimit - state.response.count))
    if keep > 0 {
        state.response.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: keep))
    }
    if keep < length {
        state.overflowed = true
        if state.abortsWhenFull { return 0 }
    }
    return length
}

private let curlDebug: sigit_curl_debug_callback = { _, type, data, size, context in
    guard type == CURLINFO_HEADER_IN, let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let line = OneLine.safe(String(decoding: bytes, as: UTF8.self), limit: 200)
    if !line.isEmpty {
        state.serverLines.append(line)
        if state.serverLines.count > 8 { state.serverLines.removeFirst() }
    }
    return 0
}
