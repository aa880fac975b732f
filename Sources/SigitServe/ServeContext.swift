import Hummingbird

/// The request context of the signing server: Hummingbird's core storage and the client's address (for rate limits).
struct ServeContext: RequestContext {
    /// Hummingbird's per-request storage.
    var coreContext: CoreRequestContextStorage
    /// The client's IP address as the socket gives it (`unknown` when it has none).
    let clientAddress: String

    /// A context for a request on `source`'s channel.
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies larger than this are refused before they are read whole.
    var maxUploadSize: Int { SigningResponder.maxBody }
}
